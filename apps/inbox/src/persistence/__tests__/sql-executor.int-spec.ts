import { createTestDatabase, type TestDatabase } from '@switchboard/testing';
import { QueryFailedError, QueryRunnerAlreadyReleasedError } from 'typeorm';
import { InboxDatabase } from '../inbox-database';
import { type SqlExecutor, sqlState, StatementNames } from '../sql-executor';

const INSERT = `INSERT INTO spec_items (id, label) SELECT u.id, u.label FROM unnest($1::int[], $2::text[]) AS u(id, label)`;
const BY_LABEL = `SELECT id FROM spec_items WHERE label = ANY($1::text[]) ORDER BY id`;

interface PreparedRow {
  name: string;
  statement: string;
  generic_plans: string;
  custom_plans: string;
}

/** what this session has prepared (pg_prepared_statements is per session) */
async function preparedOn(sql: SqlExecutor): Promise<PreparedRow[]> {
  return sql.rows<PreparedRow>(`SELECT name, statement, generic_plans::text, custom_plans::text FROM pg_prepared_statements ORDER BY name`);
}

describe('StatementNames', () => {
  it('gives a text the same name every time and another text another name', () => {
    const names = new StatementNames(10, 'x');
    const first = names.nameOf('SELECT 1');
    expect(first).toBe('x_1');
    expect(names.nameOf('SELECT 2')).toBe('x_2');
    expect(names.nameOf('SELECT 1')).toBe(first);
    expect(names.size).toBe(2);
  });

  it('names no more than its capacity: later texts run unnamed', () => {
    const names = new StatementNames(1, 'x');
    expect(names.nameOf('SELECT 1')).toBe('x_1');
    expect(names.nameOf('SELECT 2')).toBeNull();
    expect(names.nameOf('SELECT 1')).toBe('x_1');
  });

  it('gives a forgotten text a name never used before', () => {
    const names = new StatementNames(10, 'x');
    expect(names.nameOf('SELECT 1')).toBe('x_1');
    expect(names.nameOf('SELECT 2')).toBe('x_2');
    names.forget('SELECT 1');
    expect(names.nameOf('SELECT 1')).toBe('x_3');
    expect(names.nameOf('SELECT 3')).toBe('x_4');
  });
});

describe('SqlExecutor.prepared (real Postgres, one pooled connection)', () => {
  let database: TestDatabase;
  let db: InboxDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
    // one connection: every transaction below runs on the same session, so what it prepared is visible
    db = await InboxDatabase.open({ url: database.url, poolSize: 1 });
    await db.run((sql) => sql.exec(`CREATE TABLE spec_items (id int PRIMARY KEY, label text NOT NULL)`));
  });

  afterAll(async () => {
    await db?.close();
    await database?.drop();
  });

  beforeEach(async () => {
    await db.run((sql) => sql.exec(`TRUNCATE spec_items`));
  });

  it('prepares a statement once per session and reuses it across transactions, with the same results as unnamed', async () => {
    const names = new StatementNames(10, 'reuse');
    const affected = await db.transaction(async (sql) => {
      const prepared = sql.prepared(names);
      return [
        await prepared.exec(INSERT, [
          [1, 2],
          ['a', 'b'],
        ]),
        await prepared.exec(INSERT, [[3], ['a']]),
      ];
    });
    expect(affected).toEqual([2, 1]);

    const [preparedRows, unnamedRows, session] = await db.transaction(async (sql) => [
      await sql.prepared(names).rows<{ id: number }>(BY_LABEL, [['a']]),
      await sql.rows<{ id: number }>(BY_LABEL, [['a']]),
      await preparedOn(sql),
    ]);
    expect(preparedRows).toEqual([{ id: 1 }, { id: 3 }]);
    expect(preparedRows).toEqual(unnamedRows);
    const mine = session.filter((row) => row.name.startsWith('reuse_'));
    expect(mine.map((row) => row.statement).sort()).toEqual([BY_LABEL, INSERT].sort());
    const insert = mine.find((row) => row.statement === INSERT) as PreparedRow;
    // two executions of one prepared statement (the unnamed SELECT never shows up here)
    expect(Number(insert.generic_plans) + Number(insert.custom_plans)).toBe(2);
  });

  it('uses the generic plan from the first run where the transaction asks for it', async () => {
    const names = new StatementNames(10, 'generic');
    const row = await db.transaction(async (sql) => {
      await sql.exec('SET LOCAL plan_cache_mode = force_generic_plan');
      const prepared = sql.prepared(names);
      await prepared.rows(BY_LABEL, [['a']]);
      await prepared.rows(BY_LABEL, [['b']]);
      return (await preparedOn(sql)).find((candidate) => candidate.name.startsWith('generic_'));
    });
    expect(row).toMatchObject({ statement: BY_LABEL, generic_plans: '2', custom_plans: '0' });
  });

  it('fails as an unnamed statement does (QueryFailedError with the SQLSTATE), and the statement stays usable after the rollback', async () => {
    const names = new StatementNames(10, 'failing');
    await db.run((sql) => sql.prepared(names).exec(INSERT, [[7], ['first']]));
    const failure = await db
      .transaction((sql) => sql.prepared(names).exec(INSERT, [[7], ['again']]), 1)
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(QueryFailedError);
    expect(sqlState(failure)).toBe('23505');
    expect((failure as QueryFailedError).query).toBe(INSERT);

    await expect(db.transaction((sql) => sql.prepared(names).exec(INSERT, [[8], ['after']]))).resolves.toBe(1);
    await expect(db.run((sql) => sql.rows<{ id: number }>(`SELECT id FROM spec_items ORDER BY id`))).resolves.toEqual([{ id: 7 }, { id: 8 }]);
  });

  it('prepares a statement afresh after a migration changed what it returns (the failed run fails like any other)', async () => {
    const names = new StatementNames(10, 'migrated');
    const read = `SELECT id, label FROM spec_items ORDER BY id`;
    await db.run((sql) => sql.exec(`INSERT INTO spec_items (id, label) VALUES (1, 'one')`));
    await expect(db.run((sql) => sql.prepared(names).rows(read))).resolves.toEqual([{ id: 1, label: 'one' }]);
    const before = names.nameOf(read);

    await db.run((sql) => sql.exec(`ALTER TABLE spec_items ALTER COLUMN label TYPE varchar(40)`));
    const failure = await db.run((sql) => sql.prepared(names).rows(read)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(QueryFailedError);
    expect(sqlState(failure)).toBe('0A000');

    await expect(db.run((sql) => sql.prepared(names).rows(read))).resolves.toEqual([{ id: 1, label: 'one' }]);
    expect(names.nameOf(read)).not.toBe(before);
    await db.run((sql) => sql.exec(`ALTER TABLE spec_items ALTER COLUMN label TYPE text`));
  });

  it('runs a statement past the names capacity unnamed: nothing more is prepared on the session', async () => {
    const names = new StatementNames(1, 'capped');
    const session = await db.transaction(async (sql) => {
      const prepared = sql.prepared(names);
      await prepared.rows(`SELECT count(*) FROM spec_items`);
      await prepared.rows(BY_LABEL, [['a']]);
      return preparedOn(sql);
    });
    expect(session.filter((row) => row.name.startsWith('capped_')).map((row) => row.statement)).toEqual([`SELECT count(*) FROM spec_items`]);
  });

  it('refuses to run on a released connection, like an unnamed statement', async () => {
    const released = await db.run(async (sql) => sql);
    await expect(released.prepared(new StatementNames(10, 'released')).rows('SELECT 1')).rejects.toBeInstanceOf(QueryRunnerAlreadyReleasedError);
    await expect(released.rows('SELECT 1')).rejects.toBeInstanceOf(QueryRunnerAlreadyReleasedError);
  });
});
