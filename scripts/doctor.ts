export {};
/**
 * `npm run doctor`: checks, for real, what the console needs (the database takes writes; for each
 * account and region the credentials resolve, ListRooms and GetRoom answer) and says in plain words
 * what is missing. Exit 1 when something is. Same configuration as `npm start` (the environment).
 */
const { formatDoctor, runDoctor } = await import('../lib/ops/doctor');
const { closeDatabase } = await import('../lib/db');
const report = await runDoctor();
console.log(formatDoctor(report));
await closeDatabase();
process.exit(report.ok ? 0 : 1);
