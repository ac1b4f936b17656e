// Cross-check of a FIT file written by backstep with Garmin's FIT JavaScript SDK, an independent
// decoder: the file must pass the SDK's integrity check (header, size, CRC), decode without
// errors, and every record must equal what backstep's own reader gives for the same file
// (EXPECTED = `backstep export --from FILE.fit --format json`), within the JSON's decimals.
// Usage: node fit_xcheck.mjs FILE.fit EXPECTED.json  -> prints "ok ..." lines; exit 1 on mismatch.
import { readFileSync } from "node:fs";
import { Decoder, Stream } from "@garmin/fitsdk";

const [fitPath, jsonPath] = process.argv.slice(2);
const bytes = readFileSync(fitPath);
const expected = JSON.parse(readFileSync(jsonPath, "utf8"));
const stream = Stream.fromByteArray(Array.from(bytes));
let failures = 0;
const check = (cond, what) => {
  if (cond) console.log("ok   " + what);
  else { console.log("FAIL " + what); failures++; }
};
const near = (a, b, tol) => (a === undefined || a === null) ? (b === null) : (b !== null && Math.abs(a - b) <= tol);

const decoder = new Decoder(stream);
check(decoder.isFIT(), "isFIT");
check(decoder.checkIntegrity(), "checkIntegrity (header, data size, file CRC)");
const { messages, errors } = decoder.read({ convertTypesToStrings: false, convertDateTimesToDates: false });
check(errors.length === 0, "decoded without errors " + JSON.stringify(errors.map(String)));
const recs = messages.recordMesgs || [];
check(recs.length === expected.records.length, `records: SDK ${recs.length}, backstep ${expected.records.length}`);
const FIT_EPOCH = 631065600;
let bad = 0;
for (let i = 0; i < Math.min(recs.length, expected.records.length); i++) {
  const r = recs[i], e = expected.records[i];
  const cad = r.cadence === undefined ? undefined : 2 * (r.cadence + (r.fractionalCadence || 0));
  const lat = r.positionLat === undefined ? undefined : r.positionLat * 180 / 2 ** 31;
  const lon = r.positionLong === undefined ? undefined : r.positionLong * 180 / 2 ** 31;
  const same =
    r.timestamp + FIT_EPOCH === e.t_us / 1e6 &&
    near(r.heartRate, e.heart_rate_bpm, 0) &&
    near(cad, e.cadence_spm, 0.0005) &&
    near(r.enhancedSpeed, e.speed_mps, 0.0005) &&
    near(r.distance, e.distance_m, 0.005) &&
    near(r.grade, e.incline_pct, 0.005) &&
    near(r.enhancedAltitude, e.altitude_m, 0.05) &&
    near(lat, e.latitude_deg, 5e-8) && near(lon, e.longitude_deg, 5e-8) &&
    near(r.calories, e.energy_kcal, 0);
  if (!same) {
    if (bad < 5) console.log("record " + i + " differs: SDK " + JSON.stringify(r) + " backstep " + JSON.stringify(e));
    bad++;
  }
}
check(bad === 0, `every record equal (${bad} differ)`);
const ses = (messages.sessionMesgs || [])[0] || {};
const info = expected.info;
check(ses.sport === info.sport && ses.subSport === info.sub_sport, `session sport ${ses.sport}/${ses.subSport}`);
check(near(ses.totalDistance, info.distance_m, 0.005), `session distance ${ses.totalDistance} m`);
check(near(ses.totalElapsedTime, info.elapsed_s, 0.0005), `session elapsed ${ses.totalElapsedTime} s`);
check((messages.lapMesgs || []).length === expected.laps.length, `laps ${(messages.lapMesgs || []).length}`);
check((messages.activityMesgs || []).length === 1, "one activity message");
const fid = (messages.fileIdMesgs || [])[0] || {};
check(fid.type === 4 && fid.manufacturer === 255, "file_id: activity file, development manufacturer");
const sport = (messages.sportMesgs || [])[0] || {};
check(typeof sport.name === "string" && sport.name === info.name, `sport name '${sport.name}'`);
console.log(`${failures === 0 ? "ok" : "FAIL"} fit_xcheck ${fitPath}`);
process.exit(failures === 0 ? 0 : 1);
