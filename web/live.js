// The live page: follows /api/live/ID/events (server-sent events) and updates the tiles, the
// step strip, the latest cue and the event log. No other JavaScript is used by backstep.
(function () {
  'use strict';
  var root = document.getElementById('live');
  if (!root) { return; }
  var id = root.getAttribute('data-live');
  var $ = function (x) { return document.getElementById(x); };
  var strip = $('strip'), log = $('log');
  var MAX_STRIP = 120, MAX_LOG = 50;

  function pct(v) { return v === null || v === undefined ? '–' : Math.round(v * 100) + ' %'; }
  function fixed(v, d) { return v === null || v === undefined ? '–' : v.toFixed(d); }
  function line(text, cls) {
    var li = document.createElement('li');
    li.textContent = text;
    if (cls) { li.className = cls; }
    log.insertBefore(li, log.firstChild);
    while (log.children.length > MAX_LOG) { log.removeChild(log.lastChild); }
  }
  function dirClass(d) {
    if (d === 'backward' || d === 'forward') { return d; }
    if (d && d.indexOf('sideways') === 0) { return 'sideways'; }
    return 'unknown';
  }

  var es = new EventSource('/api/live/' + encodeURIComponent(id) + '/events');
  es.addEventListener('open', function () { $('state').textContent = 'live'; $('state').className = 'pill on'; });
  es.addEventListener('error', function () {
    if ($('state').textContent !== 'ended') { $('state').textContent = 'reconnecting…'; $('state').className = 'pill'; }
  });
  es.addEventListener('step', function (m) {
    var s = JSON.parse(m.data);
    var b = document.createElement('span');
    b.className = 'st ' + dirClass(s.direction) + (s.strike === 'toe' ? ' toe' : '') + (s.strike === 'heel' ? ' heel' : '');
    b.title = '#' + s.n + ' ' + s.direction + ', ' + s.strike + (s.stride_length_m !== null ? ', ' + s.stride_length_m.toFixed(2) + ' m' : '');
    strip.appendChild(b);
    while (strip.children.length > MAX_STRIP) { strip.removeChild(strip.firstChild); }
    line(s.t_s.toFixed(1) + ' s  contact ' + s.n + ': ' + s.direction + ', ' + s.strike +
         (s.stride_length_m !== null ? ', stride ' + s.stride_length_m.toFixed(2) + ' m' : ''), 'step');
  });
  es.addEventListener('status', function (m) {
    var s = JSON.parse(m.data);
    $('steps').textContent = String(s.steps);
    $('backward').textContent = s.steps > 0 && s.steps_backward !== null ? Math.round(100 * s.steps_backward / s.steps) + ' %' : '–';
    $('toe').textContent = pct(s.toe_first_ratio);
    $('cadence').textContent = fixed(s.cadence_spm, 0);
    $('cv').textContent = s.stride_time_cv_pct === null ? '–' : s.stride_time_cv_pct.toFixed(1) + ' %';
    $('data').textContent = Math.round(s.data_s) + ' s';
    var d = s.duplicate_messages + s.duplicate_samples + s.late_samples + s.unjoined_samples;
    $('drops').textContent = d > 0 ? 'dropped: ' + s.duplicate_messages + ' repeated messages, ' + s.duplicate_samples +
      ' repeated samples, ' + s.late_samples + ' late, ' + s.unjoined_samples + ' without gyroscope' : '';
    if (s.error) { line(s.error, 'warn'); }
  });
  es.addEventListener('cue', function (m) {
    var c = JSON.parse(m.data);
    var el = $('cue');
    el.textContent = c.message;
    el.className = 'cue ' + (c.kind || '');
    el.hidden = false;
    line(c.t_s.toFixed(1) + ' s  cue: ' + c.message, 'cue-line');
  });
  es.addEventListener('event', function (m) {
    var e = JSON.parse(m.data);
    line(e.t_s.toFixed(1) + ' s  ' + e.kind, 'warn');
  });
  es.addEventListener('gap', function (m) {
    var e = JSON.parse(m.data);
    line(e.t_s.toFixed(1) + ' s  data gap of ' + e.gap_s.toFixed(1) + ' s', 'warn');
  });
  es.addEventListener('end', function (m) {
    var e = JSON.parse(m.data);
    es.close();
    $('state').textContent = 'ended';
    $('state').className = 'pill off';
    var p = $('done');
    p.hidden = false;
    p.textContent = '';
    if (e.stored && e.session > 0) {
      var a = document.createElement('a');
      a.href = '/sessions/' + e.session;
      a.textContent = 'Session stored: open the summary';
      p.appendChild(a);
    } else {
      p.textContent = 'Session ended' + (e.error ? ': ' + e.error : '');
    }
  });
}());
