import { Injectable } from '@nestjs/common';
import { CONVERSATION_COLUMNS } from '../persistence/conversation-columns';
import type { ConversationEntity } from '../persistence/entities/conversation.entity';
import { assignmentList, castList, columnList, selectList, unnestRows } from '../persistence/row-mapping';
import type { SqlExecutor } from '../persistence/sql-executor';
import { textArrayParam } from '../persistence/text-array-param';
import { ConversationSnapshotMapper } from './conversation-snapshot.mapper';
import { CONVERSATION_VIEW_EXTRA_COLUMNS, CONVERSATION_VIEW_JOINS, type ConversationView } from './conversation-view';

const ID = CONVERSATION_COLUMNS.filter(([, column]) => column === 'id');
const WRITABLE = CONVERSATION_COLUMNS.filter(([, column]) => column !== 'id' && column !== 'created_at');

/** Row-level SQL of conversations shared by ingestion, routing and the API. */
@Injectable()
export class ConversationRepository {
  /** the conversations with their names, locked FOR UPDATE in id order (no deadlocks between lockers) */
  async lockViews(sql: SqlExecutor, ids: readonly string[]): Promise<ConversationView[]> {
    if (ids.length === 0) return [];
    const rows = await sql.rows<Record<string, unknown>>(
      `SELECT ${selectList(CONVERSATION_COLUMNS, 'c')}, ${CONVERSATION_VIEW_EXTRA_COLUMNS}
       FROM conversations c ${CONVERSATION_VIEW_JOINS}
       WHERE c.id = ANY($1::text[]::uuid[])
       ORDER BY c.id
       FOR UPDATE OF c`,
      [textArrayParam([...new Set(ids)].sort())],
    );
    return rows.map((row) => ConversationSnapshotMapper.viewFromRow(row));
  }

  async lockView(sql: SqlExecutor, id: string): Promise<ConversationView | undefined> {
    return (await this.lockViews(sql, [id]))[0];
  }

  async getView(sql: SqlExecutor, id: string): Promise<ConversationView | undefined> {
    const row = await sql.one<Record<string, unknown>>(
      `SELECT ${selectList(CONVERSATION_COLUMNS, 'c')}, ${CONVERSATION_VIEW_EXTRA_COLUMNS}
       FROM conversations c ${CONVERSATION_VIEW_JOINS} WHERE c.id = $1`,
      [id],
    );
    return row ? ConversationSnapshotMapper.viewFromRow(row) : undefined;
  }

  /** names of the assignee and team after a change of either */
  async refreshNames(sql: SqlExecutor, view: ConversationView): Promise<void> {
    const row = await sql.one<{ assigneeName: string | null; teamName: string | null; contactName: string | null }>(
      `SELECT (SELECT name FROM operators WHERE id = $1) AS "assigneeName", (SELECT name FROM teams WHERE id = $2) AS "teamName",
              (SELECT name FROM contacts WHERE id = $3) AS "contactName"`,
      [view.conversation.assigneeId, view.conversation.teamId, view.conversation.contactId],
    );
    view.assigneeName = row?.assigneeName ?? null;
    view.teamName = row?.teamName ?? null;
    view.contactName = row?.contactName ?? null;
  }

  async insert(sql: SqlExecutor, conversations: readonly ConversationEntity[]): Promise<void> {
    if (conversations.length === 0) return;
    const rows = unnestRows(CONVERSATION_COLUMNS, conversations, 'r');
    await sql.exec(`INSERT INTO conversations (${columnList(CONVERSATION_COLUMNS)}) SELECT ${castList(CONVERSATION_COLUMNS, 'r')} FROM ${rows.from}`, rows.params);
  }

  /**
   * Writes these conversations' columns — every one, or only those of `fields` (what the caller's
   * change can touch: fewer columns to send and cast). The caller holds their locks.
   */
  async save(sql: SqlExecutor, conversations: readonly ConversationEntity[], fields?: ReadonlyArray<keyof ConversationEntity>): Promise<void> {
    if (conversations.length === 0) return;
    const wanted = fields ? new Set<string>(fields) : null;
    const written = wanted ? WRITABLE.filter(([property]) => wanted.has(property)) : WRITABLE;
    const rows = unnestRows([...ID, ...written], conversations, 'r');
    await sql.exec(`UPDATE conversations c SET ${assignmentList(written, 'r')} FROM ${rows.from} WHERE c.id = r.id::uuid`, rows.params);
  }
}
