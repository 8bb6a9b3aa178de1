export * from './fake-bot-api';
export * from './fake-bot';
export * from './bot-api-request';
export * from './telegram-html';
