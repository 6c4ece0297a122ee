// Values the database global setup hands to every test file through inject().
import 'vitest';

declare module 'vitest' {
  export interface ProvidedContext {
    databaseMode: 'embedded' | 'external';
    externalDatabaseUrl?: string;
    adminDatabaseUrl: string;
    templateDatabase: string;
  }
}
