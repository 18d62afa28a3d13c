import { afterEach, describe, expect, it } from 'vitest';
import type { AssignmentsList } from '@chairside/shared';
import { api, startTestServer, testPassword, type TestServer } from '../helpers/test-server';

let server: TestServer;
afterEach(async () => {
  await server.close();
});

async function userId(username: string): Promise<string> {
  const user = await server.store.accounts.findUserByUsername(username);
  if (!user) throw new Error(`no user ${username}`);
  return user.id;
}

const chairOf = (list: AssignmentsList, chairId: string) => list.assignments.find((a) => a.chairId === chairId);

describe('chair assignments', () => {
  it('a nurse takes a chair with a backup, a clinician assigns anyone, every screen hears it; refusals name the field', async () => {
    server = await startTestServer();
    await server.chairside.auth.createUser({ username: 'nurse2', password: testPassword, role: 'nurse', displayName: 'Nurse Two' });
    await server.chairside.auth.createUser({ username: 'gone', password: testPassword, role: 'nurse', displayName: 'Gone Nurse' });
    await server.store.accounts.updateUser(await userId('gone'), { disabled: true });
    const [nurseId, nurse2Id, clinicianId, adminId, goneId] = await Promise.all(['nurse', 'nurse2', 'clinician', 'admin', 'gone'].map(userId));
    const nurse = await server.login('nurse');
    const clinician = await server.login('clinician');
    const admin = await server.login('admin');
    const screen = await server.dashboard(clinician);
    await screen.emitWithAck('readings:sync', { afterSeq: null }); // joins the dashboards' room
    const heard: AssignmentsList[] = [];
    screen.on('assignments:changed', (list) => heard.push(list));

    const empty = await api(server.url, 'GET', '/api/v1/assignments', admin);
    expect(empty.status).toBe(200);
    expect(empty.body.assignments).toEqual([
      { chairId: 'chair-1', chairName: 'Chair 1', primary: null, backup: null, assignedBy: null, assignedAtMs: null },
      { chairId: 'chair-2', chairName: 'Chair 2', primary: null, backup: null, assignedBy: null, assignedAtMs: null },
    ]);
    // Who can be assigned: active nurses and clinicians, not admins nor disabled accounts.
    expect((empty.body as AssignmentsList).users.map((u) => u.displayName)).toEqual(['Nurse Two', 'Test clinician', 'Test nurse']);

    const took = await api(server.url, 'PUT', '/api/v1/assignments', nurse, { chairId: 'chair-1', primaryUserId: nurseId, backupUserId: nurse2Id });
    expect(took.status).toBe(200);
    expect(chairOf(took.body, 'chair-1')).toMatchObject({ primary: { userId: nurseId, displayName: 'Test nurse' }, backup: { userId: nurse2Id, displayName: 'Nurse Two' }, assignedBy: 'nurse' });
    await expect.poll(() => heard.length).toBe(1);
    expect(chairOf(heard[0] as AssignmentsList, 'chair-1')?.primary?.userId).toBe(nurseId);

    const refusals: [string, string, unknown, number, string | null][] = [
      ['a nurse assigns someone else', nurse, { chairId: 'chair-2', primaryUserId: nurse2Id }, 403, 'primaryUserId'],
      ['backup = primary', clinician, { chairId: 'chair-2', primaryUserId: nurse2Id, backupUserId: nurse2Id }, 400, 'backupUserId'],
      ['an unknown user', clinician, { chairId: 'chair-2', primaryUserId: 'nobody' }, 400, 'primaryUserId'],
      ['a disabled user', clinician, { chairId: 'chair-2', primaryUserId: nurse2Id, backupUserId: goneId }, 400, 'backupUserId'],
      ['an admin account', clinician, { chairId: 'chair-2', primaryUserId: adminId }, 400, 'primaryUserId'],
      ['an unknown chair', clinician, { chairId: 'chair-9', primaryUserId: nurse2Id }, 404, null],
      ['no chair', clinician, { primaryUserId: nurse2Id }, 400, 'chairId'],
      ['an unknown field', clinician, { chairId: 'chair-2', primaryUserId: nurse2Id, role: 'x' }, 400, null],
      ['an admin assigns', admin, { chairId: 'chair-2', primaryUserId: nurse2Id }, 403, null],
    ];
    for (const [why, cookie, body, status, field] of refusals) {
      const res = await api(server.url, 'PUT', '/api/v1/assignments', cookie, body);
      expect(res.status, why).toBe(status);
      if (field !== null) expect(JSON.stringify(res.body.error.details), why).toContain(field);
    }
    expect(chairOf((await api(server.url, 'GET', '/api/v1/assignments', nurse)).body, 'chair-2')?.primary).toBeNull();

    // A clinician assigns anyone; a nurse cannot release another nurse's chair; the clinician can.
    expect((await api(server.url, 'PUT', '/api/v1/assignments', clinician, { chairId: 'chair-2', primaryUserId: nurse2Id, backupUserId: clinicianId })).status).toBe(200);
    expect((await api(server.url, 'DELETE', '/api/v1/assignments/chair-2', nurse)).status).toBe(403);
    expect((await api(server.url, 'DELETE', '/api/v1/assignments/chair-2', clinician)).status).toBe(204);
    expect((await api(server.url, 'DELETE', '/api/v1/assignments/chair-2', clinician)).status).toBe(404);
    // A nurse releases her own.
    expect((await api(server.url, 'DELETE', '/api/v1/assignments/chair-1', nurse)).status).toBe(204);
    const after = (await api(server.url, 'GET', '/api/v1/assignments', nurse)).body as AssignmentsList;
    expect(after.assignments.every((a) => a.primary === null)).toBe(true);
    await expect.poll(() => heard.length).toBe(4);

    const set = await api(server.url, 'GET', '/api/v1/audit?action=assignment-set', admin);
    expect(set.body.map((e: { username: string; targetId: string }) => `${e.username} ${e.targetId}`).sort()).toEqual(['clinician chair-2', 'nurse chair-1']);
    const released = await api(server.url, 'GET', '/api/v1/audit?action=assignment-released', admin);
    expect(released.body).toHaveLength(2);
    expect(released.body.find((e: { targetId: string }) => e.targetId === 'chair-2')).toMatchObject({
      username: 'clinician',
      targetType: 'chair',
      details: { primaryUserId: null, previousPrimaryUserId: nurse2Id, previousBackupUserId: clinicianId },
    });
  });
});
