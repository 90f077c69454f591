#!/usr/bin/env node
// A command-line tour of the SDK: signs in (or registers), then calls a few procedures over
// HTTP and over WebSocket and prints what the server computed.
import { createPulseClient, isPulseError, pulseErrorCode } from '@pulse/sdk';
import WebSocket from 'ws';

interface Options {
  url: string;
  email: string;
  password: string;
  register: boolean;
}

function parseOptions(argv: string[]): Options {
  const options: Options = {
    url: process.env.PULSE_URL ?? 'http://127.0.0.1:3000',
    email: process.env.PULSE_EMAIL ?? 'demo@pulse.dev',
    password: process.env.PULSE_PASSWORD ?? 'pulse-demo-password',
    register: false,
  };
  for (let i = 0; i < argv.length; i += 1) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (flag === '--register') options.register = true;
    else if (flag === '--url' && value) options.url = argv[++i] as string;
    else if (flag === '--email' && value) options.email = argv[++i] as string;
    else if (flag === '--password' && value) options.password = argv[++i] as string;
    else if (flag === '--help' || flag === '-h') {
      console.log(
        'Usage: pulse-demo [--url URL] [--email EMAIL] [--password PASSWORD] [--register]',
      );
      process.exit(0);
    } else throw new Error(`unknown argument ${flag}`);
  }
  return options;
}

function section(title: string, value: unknown): void {
  console.log(`\n── ${title}`);
  console.log(typeof value === 'string' ? value : JSON.stringify(value, null, 2));
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const pulse = createPulseClient({ url: options.url });
  const session = options.register
    ? await pulse.register({
        email: options.email,
        password: options.password,
        name: 'Demo Client',
      })
    : await pulse.signIn({ email: options.email, password: options.password });
  section(
    'signed in',
    `${session.user.name} <${session.user.email}> — ${session.role} of "${session.workspace.name}"`,
  );

  section('system.health', await pulse.api.system.health.query());
  section('users.me', await pulse.api.users.me.query());
  const members = await pulse.api.workspaces.members.query({ limit: 10 });
  section(
    'workspaces.members',
    members.items.map((m) => `${m.role.padEnd(6)} ${m.name} <${m.email}>`).join('\n'),
  );
  if (session.role === 'owner' || session.role === 'admin') {
    const audit = await pulse.api.workspaces.auditLog.query({ limit: 5 });
    section(
      'workspaces.auditLog (latest 5)',
      audit.items.map((e) => `${e.createdAt} ${e.action}`).join('\n'),
    );
  }

  // The same session over a WebSocket: authenticated through connectionParams.
  const overSocket = createPulseClient({
    url: options.url,
    transport: 'ws',
    WebSocket: WebSocket as never,
  });
  overSocket.setTokens(pulse.tokens());
  section('users.me over WebSocket', (await overSocket.api.users.me.query()).email);
  overSocket.close();

  await pulse.signOut();
  section('signed out', 'refresh token revoked');
  pulse.close();
}

main().catch((error: unknown) => {
  if (isPulseError(error)) console.error(`Pulse said ${pulseErrorCode(error)}: ${error.message}`);
  else console.error(error);
  process.exit(1);
});
