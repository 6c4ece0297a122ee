// The review board: the schema of its Y.Doc and the edits the server and the room make to it, in one import.
// Shared by the server (agenda generation, replay) and the front end (the room binds to it). Each part has its
// own file; files inside server/domain import those directly, so that this entry point stays outside any cycle.
export * from './board-schema.ts';
export * from './board-read.ts';
export * from './board-agenda.ts';
export * from './board-commitments.ts';
export * from './board-room.ts';
export * from './board-decisions.ts';
