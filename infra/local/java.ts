import { spawnSync } from 'node:child_process';

export const REQUIRED_JAVA = 17;

/**
 * DynamoDB Local is a Java program. Checks for Java 17+ before anything starts, so a missing
 * JRE is one clear message instead of a stack trace from a child process.
 */
export function javaProblem(): string | undefined {
  const out = spawnSync('java', ['-version'], { encoding: 'utf8' });
  if (out.error) {
    return [
      `Java ${REQUIRED_JAVA} or newer is required to run DynamoDB Local, and no 'java' was found on PATH.`,
      'Install it, then run npm start again:',
      '  Debian/Ubuntu: sudo apt-get install -y openjdk-17-jre-headless',
      '  macOS:         brew install openjdk@17',
      '  Windows:       winget install Microsoft.OpenJDK.17',
    ].join('\n');
  }
  const text = `${out.stderr}${out.stdout}`;
  const match = /version "(\d+)(?:\.(\d+))?/.exec(text);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : NaN;
  if (!(major >= REQUIRED_JAVA)) {
    return `Java ${REQUIRED_JAVA} or newer is required to run DynamoDB Local; found: ${text.split('\n')[0]?.trim()}.`;
  }
  return undefined;
}
