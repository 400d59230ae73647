import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { javaProblem } from '../../infra/local/java.js';

describe('Java check before DynamoDB Local starts', () => {
  const path = process.env.PATH;
  const empty = mkdtempSync(join(tmpdir(), 'no-java-'));
  afterEach(() => {
    process.env.PATH = path;
  });

  it('passes on this machine, where Java 17+ is installed', () => {
    expect(javaProblem()).toBeUndefined();
  });

  it('says how to install Java when there is none', () => {
    process.env.PATH = empty;
    const problem = javaProblem();
    rmSync(empty, { recursive: true, force: true });
    expect(problem).toMatch(/Java 17 or newer is required/);
    expect(problem).toContain('apt-get install -y openjdk-17-jre-headless');
  });
});
