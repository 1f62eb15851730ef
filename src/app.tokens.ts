/** DI tokens of the composition root, apart from it so providers can import them without a cycle. */
export type ProcessRole = 'all' | 'api' | 'projector';
export const PROCESS_ROLE = Symbol('PROCESS_ROLE');
export const STORES = Symbol('STORES');
