import type { Role } from '@pulse/db';

const ROLE_RANK: Record<Role, number> = { viewer: 0, member: 1, admin: 2, owner: 3 };

export function hasAtLeast(role: Role, minimum: Role): boolean {
  return ROLE_RANK[role] >= ROLE_RANK[minimum];
}

/** A caller may hand out a role only up to their own; only owners make owners. */
export function canGrant(granter: Role, role: Role): boolean {
  return hasAtLeast(granter, 'admin') && ROLE_RANK[role] <= ROLE_RANK[granter];
}
