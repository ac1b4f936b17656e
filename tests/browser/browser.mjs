// Browser tests of `backstep serve` in Debian's headless Chromium, driven by playwright-core.
// The test makes its own data (backstep simulate), its own user and token, starts a real server
// on a free loopback port, signs in through the page, loads every page at a phone size (390x844)
// and a desktop size (1280x800), then follows a live session while the sl_push test client
// streams a simulated Sensor Logger recording, and checks that steps (and the technique tiles)
// and a coaching cue appear on the page while the stream is still running. Screenshots go to OUT for inspection.
//
//   node browser.mjs BACKSTEP SL_PUSH OUT
import { spawn, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

const [backstep, slPush, out] = process.argv.slice(2);
if (!backstep || !slPush || !out) {
  console.error('usage: node browser.mjs BACKSTEP SL_PUSH OUT');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const work = mkdtempSync(join(tmpdir(), 'backstep-browser-'));
const db = join(work, 'b.db');
let failures = 0, passes = 0;
function check(cond, what) {
  if (cond) { passes++; console.log('ok   ' + what); } else { failures++; console.log('FAIL ' + what); }
}
function run(args) { return execFileSync(backstep, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }); }

// data: a recording to upload, and a Sensor Logger folder to stream live
run(['simulate', '--placement', 'foot-right', '--direction', 'backward', '--duration', '40',
  '--seed', '4', '--out', join(work, 'walk.csv')]);
// the live walk lands heel first now and then: the coach's cue engine should say "Toes first."
run(['simulate', '--placement', 'foot-right', '--scenario-text',
  'stand 3s;walk backward 24s speed=0.6 strike=toe heel-faults=8;stand 2s',
  '--seed', '5', '--format', 'sensorlogger', '--out', join(work, 'live')]);
const token = run(['token', 'create', '--user', 'walker', '--label', 'browser', '--db', db]).trim();

// the server
const srv = spawn(backstep, ['serve', '--db', db, '--listen', '127.0.0.1:0', '--live-timeout', '30'],
  { stdio: ['ignore', 'pipe', 'inherit'] });
const base = await new Promise((resolve, reject) => {
  let buf = '';
  const t = setTimeout(() => reject(new Error('server did not start')), 15000);
  srv.stdout.on('data', (d) => {
    buf += d.toString();
    const m = buf.match(/listening on (http:\/\/[0-9.:]+)/);
    if (m) { clearTimeout(t); resolve(m[1]); }
  });
  srv.on('exit', (code) => reject(new Error('server exited ' + code)));
});
const auth = { Authorization: 'Bearer ' + token };
async function api(method, path, body, type) {
  const r = await fetch(base + path, { method, headers: { ...auth, ...(type ? { 'Content-Type': type } : {}) }, body });
  return { status: r.status, json: await r.json().catch(() => null) };
}

let browser;
try {
  const up = await api('POST', '/api/sessions?placement=foot-right&toe-axis=%2Bx&name=walk.csv',
    readFileSync(join(work, 'walk.csv')), 'text/csv');
  check(up.status === 201 && up.json.steps > 20, 'upload analysed and stored (' + up.status + ')');
  // the plan starts on the local day the walk began (the server dates an upload without clock
  // times at its end minus its duration): "today" would leave the walk out of the plan's replay
  // when the test runs across midnight
  const walkDay = new Date(up.json.start_us / 1000);
  const startDate = walkDay.getFullYear() + '-' + String(walkDay.getMonth() + 1).padStart(2, '0') + '-' +
    String(walkDay.getDate()).padStart(2, '0');
  await api('POST', '/api/plans', JSON.stringify({ kind: 'general', start_date: startDate, screening: { fell: 'no', unsteady: 'no', worried: 'no', heart: 'no', 'chest-pain': 'no', dizziness: 'no', 'told-supervised': 'no', surgery: 'no', 'balance-condition': 'no', pain: 1, age: 40 } }), 'application/json');
  await api('POST', '/api/checkins', JSON.stringify({ pain_0_10: 2, wellbeing_0_10: 8, note: 'felt steady' }), 'application/json');

  // a fresh profile folder (--user-data-dir) for this run only
  browser = await chromium.launchPersistentContext(join(work, 'chromium-profile'), {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const sizes = [{ name: 'phone', width: 390, height: 844 }, { name: 'desktop', width: 1280, height: 800 }];
  for (const size of sizes) {
    await browser.clearCookies();
    const page = await browser.newPage();
    await page.setViewportSize({ width: size.width, height: size.height });
    const errors = [];
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
    await page.goto(base + '/sessions');
    check(page.url().endsWith('/login'), size.name + ': without a cookie the sessions page asks to sign in');
    await page.screenshot({ path: join(out, `login-${size.name}.png`), fullPage: true });
    await page.fill('#token', token);
    await page.click('button[type=submit]');
    await page.waitForURL(/\/sessions$/);
    check(await page.locator('#sessions li').count() === 1, size.name + ': sessions list shows the upload');
    await page.screenshot({ path: join(out, `sessions-${size.name}.png`), fullPage: true });
    await page.click('#sessions li a');
    await page.waitForSelector('#timeline');
    check(await page.locator('#timeline rect.backward').count() > 20, size.name + ': session timeline has backward steps');
    check((await page.textContent('#technique')).includes('Toes first'), size.name + ': technique section');
    // the session's assessment, as analyze's report gives it: the walk (40 s backward) counts in the
    // plan started after it (the replay applies every session since the start day), whose dose is
    // 10 minutes, so the advice is to walk longer; the technique scores are listed with their bands
    check((await page.textContent('#assessment #advice')).includes('Walk backward for the planned time'), size.name + ': next-session advice (walk longer)');
    check(/toe_first[\s\S]*good/.test(await page.textContent('#assessment #scores')), size.name + ': technique scores with their bands');
    await page.screenshot({ path: join(out, `session-${size.name}.png`), fullPage: true });
    await page.goto(base + '/progress');
    check(await page.locator("#weeks rect.bar").count() >= 2, size.name + ': progress chart of the weeks');
    await page.screenshot({ path: join(out, `progress-${size.name}.png`), fullPage: true });
    await page.goto(base + '/plan');
    check(/General/.test(await page.textContent('#today')) && (await page.locator('#level').count()) === 1, size.name + ': plan, level and today');
    check((await page.textContent('#checkin')).includes('felt steady'), size.name + ': check-ins listed');
    await page.screenshot({ path: join(out, `plan-${size.name}.png`), fullPage: true });
    // no horizontal scrolling at this width
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    check(overflow <= 0, size.name + ': no horizontal overflow (' + overflow + ' px)');
    check(errors.length === 0, size.name + ': no script errors (' + errors.join('; ') + ')');
    await page.close();
  }

  // live: the phone-size page follows a stream from the test client
  await browser.clearCookies();
  const page = await browser.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base + '/login');
  await page.fill('#token', token);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/sessions$/);
  const push = spawn(slPush, ['--url', base, '--token', token, '--placement', 'foot-right',
    '--toe-axis', '+x', '--batch-ms', '200', '--speed', '2', '--swap', '--repeat-every', '9',
    '--session', 'browser-live', '--device', 'test-phone', join(work, 'live')],
  { stdio: ['ignore', 'pipe', 'inherit'] });
  let pushDone = false, pushOut = '';
  push.stdout.on('data', (d) => { pushOut += d.toString(); });
  const pushExit = new Promise((resolve) => push.on('exit', (code) => { pushDone = true; resolve(code); }));
  // the live list shows the stream once its first message is in
  let found = false;
  for (let i = 0; i < 40 && !found; i++) {
    await page.goto(base + '/live');
    found = await page.locator('#live-list li a').count() > 0;
    if (!found) await page.waitForTimeout(250);
  }
  check(found, 'live: the stream is listed');
  await page.click('#live-list li a');
  await page.waitForSelector('#strip');
  await page.waitForFunction(() => document.querySelectorAll('#strip .st').length >= 5, null, { timeout: 20000 });
  const stepsWhileStreaming = await page.locator('#strip .st').count();
  check(!pushDone && stepsWhileStreaming >= 5, 'live: steps appear while the phone streams (' + stepsWhileStreaming + ')');
  check(await page.locator('#strip .st.backward').count() >= 3, 'live: steps coloured as backward');
  await page.waitForFunction(() => document.getElementById('toe').textContent.includes('%'), null, { timeout: 10000 });
  check(true, 'live: technique tile (toes first) filled');
  check((await page.textContent('#state')) === 'live', 'live: state shows live');
  await page.waitForSelector('#cue:not([hidden])', { timeout: 20000 });
  const cueText = await page.textContent('#cue');
  check(!pushDone && /Toes first/.test(cueText), 'live: a cue appears while the phone streams (' + cueText + ')');
  await page.screenshot({ path: join(out, 'live-cue-phone.png'), fullPage: true });
  await page.screenshot({ path: join(out, 'live-phone.png'), fullPage: true });
  const code = await pushExit;
  check(code === 0, 'live: the test client got 200 for every message (' + pushOut.trim() + ')');
  const lid = JSON.parse(pushOut).live_id;
  const end = await api('POST', '/api/live/' + lid + '/end');
  check(end.status === 200 && end.json.duplicate_messages > 0, 'live: repeated messages dropped and counted');
  await page.waitForSelector('#done a', { timeout: 10000 });
  check((await page.textContent('#state')) === 'ended', 'live: the page shows the end and links the stored session');
  await page.screenshot({ path: join(out, 'live-ended-phone.png'), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: join(out, 'live-ended-desktop.png'), fullPage: true });
  await page.click('#done a');
  await page.waitForSelector('#timeline');
  check(await page.locator('#timeline rect.backward').count() > 10, 'live: the stored live session has its timeline');
  check((await page.textContent('#events')).includes('toes_first'), 'live: the stored session lists the cues given');
  check(errors.length === 0, 'live: no script errors (' + errors.join('; ') + ')');
  await page.close();
} catch (e) {
  failures++;
  console.log('FAIL ' + (e && e.stack ? e.stack : e));
} finally {
  if (browser) await browser.close();
  srv.kill('SIGTERM');
  await new Promise((resolve) => srv.on('exit', resolve));
  rmSync(work, { recursive: true, force: true });
}
console.log(`${passes} passed, ${failures} failed`);
process.exit(failures ? 1 : 0);
