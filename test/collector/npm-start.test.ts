/**
 * `npm start` as a person runs it: it builds, then the collector runs as npm's own child, so a
 * SIGTERM or SIGINT sent to npm's pid (a process manager, `kill`) or Ctrl-C in a terminal (SIGINT to
 * the whole process group, which npm forwards a second time) drains the collector: the port
 * closes, the log says it stopped, and no process of the tree is left behind. The build is the
 * incremental one `npm install` prepared (dist/.tsbuildinfo), so each start takes seconds.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collectorEnv, launchCollector } from '../helpers/collector-process.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'spanlite-npm-start-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/**
 * The processes still running in the group `groupId` leads, read from /proc, as `pid command`.
 * Zombies are not counted: esbuild's service (the UI build) outlives its parent by a moment and
 * is left for init to reap, which some inits do late.
 */
function liveGroupMembers(groupId: number): string[] {
  const members: string[] = [];
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // exited while being read
    }
    // "pid (command) state ppid pgrp ...": the command may hold spaces and parentheses.
    const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (Number(pgrp) === groupId && state !== 'Z') members.push(`${pid} ${stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'))}`);
  }
  return members;
}

function portAccepts(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('npm start', () => {
  it.each([
    { how: 'SIGTERM to npm', signal: 'SIGTERM' as const, group: false },
    { how: 'SIGINT to npm', signal: 'SIGINT' as const, group: false },
    { how: 'Ctrl-C (SIGINT to the process group)', signal: 'SIGINT' as const, group: true },
  ])('stops with the collector drained on $how', async ({ signal, group }) => {
    const collector = await launchCollector({
      command: 'npm',
      args: ['start'],
      env: { ...process.env, ...collectorEnv(join(dir, `${signal}-${group}.db`)), SPANLITE_LOG_FORMAT: 'json' },
      startTimeoutMs: 180_000,
      detached: true,
    });
    const npmPid = collector.child.pid!;
    try {
      expect(await portAccepts(collector.url)).toBe(true);
      process.kill(group ? -npmPid : npmPid, signal);
      expect(await collector.exited).toEqual({ code: 0, signal: null });
      expect(collector.logs.join('\n')).toContain(`"msg":"${signal} received: finishing in-flight requests, then closing the database"`);
      expect(collector.logs.join('\n')).toContain('"msg":"spanlite stopped"');
      expect(await portAccepts(collector.url)).toBe(false);
      expect(liveGroupMembers(npmPid)).toEqual([]);
    } finally {
      if (liveGroupMembers(npmPid).length > 0) process.kill(-npmPid, 'SIGKILL');
    }
  }, 240_000);
});
