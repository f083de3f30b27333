#!/usr/bin/env node
// Prepares this machine for `npm start` / `npm test`. Plain JavaScript with no dependencies,
// so it runs on whatever Node started npm (even an old one) before anything is installed.
// It installs what it can (npm packages, including Node 24 as a devDependency; ffmpeg, a Java
// runtime and Chromium through apt-get when running as root) and otherwise stops with the exact
// command to run.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (message) => process.stderr.write(`[setup] ${message}\n`);
const has = (command, args = ['-version']) => spawnSync(command, args, { stdio: 'ignore' }).status === 0;
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
const hasApt = has('apt-get', ['--version']);
let aptUpdated = false;

function aptInstall(packages) {
  if (!aptUpdated) {
    say('apt-get update');
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit' });
    aptUpdated = true;
  }
  say(`apt-get install ${packages.join(' ')}`);
  execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...packages], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
}

function requireTool(name, check, aptPackages, instruction) {
  if (check()) return;
  if (isRoot && hasApt) {
    aptInstall(aptPackages);
    if (check()) return;
  }
  say(`${name} is missing and could not be installed automatically.`);
  say(instruction);
  process.exit(1);
}

// 1. npm packages, exactly as locked (Node 24 comes with them: the `node` devDependency). The lock
// is the install: `npm ci`, never `npm install`, so every machine gets the same tree. A lock that
// does not match package.json is refused here with the fix, before npm's own longer message.
lockMatchesManifest();
const installedLock = join(root, 'node_modules', '.package-lock.json');
if (
  !existsSync(join(root, 'node_modules', '.bin', 'node')) ||
  !existsSync(installedLock) ||
  statSync(installedLock).mtimeMs < statSync(join(root, 'package-lock.json')).mtimeMs
) {
  say('installing npm packages from package-lock.json (npm ci)');
  execFileSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}
const nodeBin = join(root, 'node_modules', '.bin', 'node');
const nodeVersion = execFileSync(nodeBin, ['--version']).toString().trim();
if (Number(nodeVersion.replace(/^v/, '').split('.')[0]) < 22) {
  say(`Node ${nodeVersion} found in node_modules; Showrunner needs Node >= 22. Run: npm install node@24`);
  process.exit(1);
}

// 2. ffmpeg (the local stand-in for MediaConvert, and test clips).
requireTool(
  'ffmpeg',
  () => has('ffmpeg') && has('ffprobe'),
  ['ffmpeg'],
  'Install ffmpeg >= 5 with libx264: `sudo apt-get install ffmpeg` (Debian/Ubuntu) or `brew install ffmpeg` (macOS).',
);

// 3. Java >= 11 (DynamoDB Local is a Java program).
requireTool(
  'Java',
  () => has('java'),
  ['openjdk-17-jre-headless'],
  'Install a Java runtime >= 17: `sudo apt-get install openjdk-17-jre-headless` or `brew install openjdk@17`.',
);

// 4. Chromium (the end-to-end tests play the HLS output with hls.js in it, through playwright-core).
// SHOWRUNNER_CHROMIUM names another Chromium or Chrome executable; test/support/browser.ts
// looks for the same ones in the same order.
const chromiumOverride = process.env.SHOWRUNNER_CHROMIUM;
if (chromiumOverride) {
  if (!has(chromiumOverride, ['--version'])) {
    say(`SHOWRUNNER_CHROMIUM=${chromiumOverride} does not run (\`${chromiumOverride} --version\` failed).`);
    say('Point it at a working Chromium or Chrome executable, or unset it to use /usr/bin/chromium.');
    process.exit(1);
  }
} else {
  requireTool(
    'Chromium',
    () => has('/usr/bin/chromium', ['--version']) || has('chromium', ['--version']),
    ['chromium'],
    'Install Chromium: `sudo apt-get install chromium` (Debian; on Ubuntu, whose apt package is a snap, ' +
      'install Chromium or Chrome another way), or set SHOWRUNNER_CHROMIUM to a Chromium/Chrome executable.',
  );
}

/**
 * Every dependency package.json names is in the lock with the same range; otherwise stop and say
 * how to fix it (`npm ci` would refuse too, after deleting node_modules).
 */
function lockMatchesManifest() {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  let lock;
  try {
    lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  } catch {
    say('package-lock.json is missing or unreadable. Run `npm install` once and commit the lock it writes.');
    process.exit(1);
  }
  const locked = lock.packages?.[''] ?? {};
  const drift = [];
  for (const field of ['dependencies', 'devDependencies', 'optionalDependencies']) {
    const wanted = manifest[field] ?? {};
    const have = locked[field] ?? {};
    for (const name of new Set([...Object.keys(wanted), ...Object.keys(have)])) {
      if (wanted[name] !== have[name])
        drift.push(
          `${field}.${name}: package.json ${wanted[name] ?? '(absent)'}, lock ${have[name] ?? '(absent)'}`,
        );
    }
  }
  if (drift.length > 0) {
    say('package.json and package-lock.json disagree:');
    for (const line of drift) say(`  ${line}`);
    say('Run `npm install` to update the lock, then commit package.json and package-lock.json together.');
    process.exit(1);
  }
}
