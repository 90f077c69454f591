import type { WebSocket } from 'ws';

/**
 * WebSocket heartbeats: a protocol ping every `intervalMs`; a connection that has answered
 * nothing (no pong, no message) since the previous ping is terminated. Each connection gets
 * its own phase, so a fleet that connected at once (say, every client reconnecting after a
 * deploy) is not pinged in one burst every interval. Protocol pings are answered by the
 * client's WebSocket itself (browsers, `ws`), without waking its application or ours.
 */
export function keepConnectionAlive(socket: WebSocket, intervalMs: number): void {
  let answered = true;
  const heard = () => {
    answered = true;
  };
  const beat = () => {
    if (!answered) {
      socket.terminate();
      return;
    }
    answered = false;
    socket.ping();
  };
  let interval: NodeJS.Timeout | undefined;
  const firstBeat = setTimeout(
    () => {
      beat();
      interval = setInterval(beat, intervalMs);
    },
    intervalMs * (0.5 + Math.random() / 2),
  );
  socket.on('pong', heard);
  socket.on('message', heard);
  socket.once('close', () => {
    clearTimeout(firstBeat);
    clearInterval(interval);
  });
}
