import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '../persistence/sql-executor';
import { AuthStoreDatabase } from './auth-store.database';
import type { AuthOperator, VisitorMessage, ConversationThread } from './auth-store.types';

export interface OperatorCredentialRow extends AuthOperator {
  passwordHash: string | null;
}

export interface RefreshTokenRow {
  id: string;
  familyId: string;
  operatorId: string;
  tokenHash: string;
  expiresAt: Date;
  rotatedAt: Date | null;
  revokedAt: Date | null;
}

export interface NewRefreshToken {
  id: string;
  familyId: string;
  operatorId: string;
  tokenHash: string;
  expiresAt: Date;
  userAgent?: string;
  ip?: string;
}

const OPERATOR_COLUMNS = `id, email, name, role, availability, password_hash AS "passwordHash"`;

/** All SQL of the auth store (operators' credentials, refresh tokens, bot tokens, scopes, visitor history). */
@Injectable()
export class AuthStoreRepository {
  constructor(private readonly database: AuthStoreDatabase) {}

  run<T>(fn: (sql: SqlExecutor) => Promise<T>): Promise<T> {
    return this.database.get().run(fn);
  }

  transaction<T>(fn: (sql: SqlExecutor) => Promise<T>): Promise<T> {
    return this.database.get().transaction(fn);
  }

  /**
   * Failed logins within the last `windowSeconds` from `address`: for this email, and for any; with the
   * seconds until the oldest of each leaves the window.
   */
  async loginFailures(
    sql: SqlExecutor,
    address: string,
    email: string,
    windowSeconds: number,
  ): Promise<{ forEmail: number; forAddress: number; emailFreesIn: number; addressFreesIn: number }> {
    const row = await sql.one<{ forEmail: number; forAddress: number; emailFreesIn: number | null; addressFreesIn: number | null }>(
      `SELECT count(*) FILTER (WHERE email = lower($2))::int AS "forEmail",
              count(*)::int AS "forAddress",
              extract(epoch FROM min(at) FILTER (WHERE email = lower($2)) + make_interval(secs => $3) - now())::float8 AS "emailFreesIn",
              extract(epoch FROM min(at) + make_interval(secs => $3) - now())::float8 AS "addressFreesIn"
         FROM login_failures
        WHERE address = $1 AND at > now() - make_interval(secs => $3)`,
      [address, email, windowSeconds],
    );
    return {
      forEmail: row?.forEmail ?? 0,
      forAddress: row?.forAddress ?? 0,
      emailFreesIn: row?.emailFreesIn ?? 0,
      addressFreesIn: row?.addressFreesIn ?? 0,
    };
  }

  /** records a failed login, and forgets those older than the window */
  async recordLoginFailure(sql: SqlExecutor, address: string, email: string, windowSeconds: number): Promise<void> {
    await sql.exec(`INSERT INTO login_failures (address, email) VALUES ($1, lower($2))`, [address, email]);
    await sql.exec(
      `DELETE FROM login_failures WHERE id IN (SELECT id FROM login_failures WHERE at < now() - make_interval(secs => $1) ORDER BY at LIMIT 1000)`,
      [windowSeconds],
    );
  }

  findOperatorByEmail(sql: SqlExecutor, email: string): Promise<OperatorCredentialRow | undefined> {
    return sql.one<OperatorCredentialRow>(
      `SELECT ${OPERATOR_COLUMNS} FROM operators WHERE lower(email) = lower($1) AND deleted_at IS NULL`,
      [email],
    );
  }

  findActiveOperator(sql: SqlExecutor, id: string): Promise<OperatorCredentialRow | undefined> {
    return sql.one<OperatorCredentialRow>(
      `SELECT ${OPERATOR_COLUMNS} FROM operators WHERE id = $1 AND deleted_at IS NULL`,
      [id],
    );
  }

  /** inserts the first admin unless an admin (or an operator with that email) exists; true when inserted */
  async insertFirstAdmin(
    sql: SqlExecutor,
    admin: { id: string; email: string; name: string; passwordHash: string },
  ): Promise<boolean> {
    const rows = await sql.rows<{ id: string }>(
      `INSERT INTO operators (id, email, name, role, password_hash)
       SELECT $1, $2, $3, 'admin', $4
       WHERE NOT EXISTS (SELECT 1 FROM operators WHERE role = 'admin' AND deleted_at IS NULL)
       ON CONFLICT (lower(email)) WHERE deleted_at IS NULL DO NOTHING
       RETURNING id`,
      [admin.id, admin.email, admin.name, admin.passwordHash],
    );
    return rows.length > 0;
  }

  async insertRefreshToken(sql: SqlExecutor, token: NewRefreshToken): Promise<void> {
    await sql.exec(
      `INSERT INTO auth_refresh_tokens (id, family_id, operator_id, token_hash, expires_at, user_agent, ip)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        token.id,
        token.familyId,
        token.operatorId,
        token.tokenHash,
        token.expiresAt,
        token.userAgent ?? null,
        token.ip ?? null,
      ],
    );
  }

  lockRefreshToken(sql: SqlExecutor, id: string): Promise<RefreshTokenRow | undefined> {
    return sql.one<RefreshTokenRow>(
      `SELECT id, family_id AS "familyId", operator_id AS "operatorId", token_hash AS "tokenHash",
              expires_at AS "expiresAt", rotated_at AS "rotatedAt", revoked_at AS "revokedAt"
       FROM auth_refresh_tokens WHERE id = $1 FOR UPDATE`,
      [id],
    );
  }

  async markRotated(sql: SqlExecutor, id: string): Promise<void> {
    await sql.exec(`UPDATE auth_refresh_tokens SET rotated_at = now() WHERE id = $1`, [id]);
  }

  /** revokes every live token of a family; the number revoked */
  revokeFamily(sql: SqlExecutor, familyId: string, reason: string, operatorId?: string): Promise<number> {
    return sql.exec(
      `UPDATE auth_refresh_tokens SET revoked_at = now(), revoked_reason = $2
       WHERE family_id = $1 AND revoked_at IS NULL AND ($3::uuid IS NULL OR operator_id = $3::uuid)`,
      [familyId, reason, operatorId ?? null],
    );
  }

  /** sessions (families) revoked after `since`, and the database's clock now */
  async revokedSessionsSince(sql: SqlExecutor, since: Date): Promise<{ now: Date; items: Array<{ sessionId: string; revokedAt: Date }> }> {
    const items = await sql.rows<{ sessionId: string; revokedAt: Date }>(
      `SELECT family_id AS "sessionId", max(revoked_at) AS "revokedAt" FROM auth_refresh_tokens
       WHERE revoked_at IS NOT NULL AND revoked_at > $1 GROUP BY family_id ORDER BY 2`,
      [since],
    );
    const clock = await sql.one<{ now: Date }>(`SELECT now() AS now`);
    return { now: clock?.now ?? new Date(), items };
  }

  findBotByTokenHash(sql: SqlExecutor, tokenHash: string): Promise<{ id: string; name: string } | undefined> {
    return sql.one(`SELECT id, name FROM bots WHERE token_hash = $1 AND deleted_at IS NULL`, [tokenHash]);
  }

  async botInboxIds(sql: SqlExecutor, botId: string): Promise<string[]> {
    const rows = await sql.rows<{ id: string }>(
      `SELECT id FROM inboxes WHERE bot_id = $1 AND deleted_at IS NULL ORDER BY id`,
      [botId],
    );
    return rows.map((row) => row.id);
  }

  botExists(sql: SqlExecutor, botId: string): Promise<{ id: string } | undefined> {
    return sql.one(`SELECT id FROM bots WHERE id = $1 AND deleted_at IS NULL`, [botId]);
  }

  /** the inboxes an operator works in: direct membership, or membership of the inbox's default team */
  async operatorInboxIds(sql: SqlExecutor, operatorId: string): Promise<string[]> {
    const rows = await sql.rows<{ id: string }>(
      `SELECT m.inbox_id AS id FROM inbox_members m JOIN inboxes i ON i.id = m.inbox_id
         WHERE m.operator_id = $1 AND i.deleted_at IS NULL
       UNION
       SELECT i.id FROM inboxes i JOIN team_members tm ON tm.team_id = i.default_team_id
         WHERE tm.operator_id = $1 AND i.deleted_at IS NULL
       ORDER BY id`,
      [operatorId],
    );
    return rows.map((row) => row.id);
  }

  async visitorMessages(
    sql: SqlExecutor,
    query: { inboxId: string; threadKey: string; before?: string; limit: number },
  ): Promise<VisitorMessage[]> {
    const rows = await sql.rows<Omit<VisitorMessage, 'createdAt'> & { createdAt: Date }>(
      `SELECT m.id, m.conversation_id AS "conversationId", m.direction, m.sender_type AS "senderType",
              CASE WHEN m.sender_type = 'operator' THEN o.name WHEN m.sender_type = 'bot' THEN b.name END AS "senderName",
              m.text, m.attachments, m.delivery_status AS "deliveryStatus", m.external_id AS "externalId", m.created_at AS "createdAt"
       FROM conversations c
       JOIN messages m ON m.conversation_id = c.id
       LEFT JOIN operators o ON m.sender_type = 'operator' AND o.id = m.sender_id
       LEFT JOIN bots b ON m.sender_type = 'bot' AND b.id = m.sender_id
       WHERE c.inbox_id = $1 AND c.thread_key = $2 AND m.kind = 'message'
         AND ($3::timestamptz IS NULL OR m.created_at < $3::timestamptz)
       ORDER BY m.created_at DESC, m.id DESC
       LIMIT $4`,
      [query.inboxId, query.threadKey, query.before ?? null, query.limit],
    );
    return rows.reverse().map((row) => ({ ...row, createdAt: row.createdAt.toISOString() }));
  }

  /** the inbox a web chat's public key names */
  inboxOfPublicKey(sql: SqlExecutor, key: string): Promise<{ inboxId: string } | undefined> {
    return sql.one<{ inboxId: string }>(
      `SELECT id AS "inboxId" FROM inboxes WHERE public_key = $1 AND deleted_at IS NULL`,
      [key],
    );
  }

  /** the newest conversation of a thread (a resolved one may have been followed by a new one) */
  latestConversationOfThread(
    sql: SqlExecutor,
    inboxId: string,
    threadKey: string,
  ): Promise<{ conversationId: string } | undefined> {
    return sql.one<{ conversationId: string }>(
      `SELECT id AS "conversationId" FROM conversations WHERE inbox_id = $1 AND thread_key = $2 ORDER BY created_at DESC, id DESC LIMIT 1`,
      [inboxId, threadKey],
    );
  }

  conversationThread(sql: SqlExecutor, conversationId: string): Promise<ConversationThread | undefined> {
    return sql.one<ConversationThread>(
      `SELECT c.id AS "conversationId", c.inbox_id AS "inboxId", i.channel_type AS "channelType", c.thread_key AS "threadKey"
       FROM conversations c JOIN inboxes i ON i.id = c.inbox_id WHERE c.id = $1`,
      [conversationId],
    );
  }
}
