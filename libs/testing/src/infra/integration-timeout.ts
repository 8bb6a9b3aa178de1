// Integration tests talk to real Kafka and Postgres on a shared 2-core machine: give them room.
// (jest ignores `testTimeout` inside a project, so it is set here, per test file.)
jest.setTimeout(120_000);
