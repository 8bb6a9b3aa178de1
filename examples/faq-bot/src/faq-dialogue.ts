/**
 * What the FAQ bot says — pure functions, no I/O: given the conversation's state and the customer's
 * text, the next state plus a reply and/or a handoff. Extend the bot here (see README.md).
 */

export type Language = 'en' | 'ru';

export interface DialogueState {
  language: Language;
  /** chatting: answering questions; asking_*: collecting an order problem's details; handed_off: humans have it */
  step: 'chatting' | 'asking_name' | 'asking_order_number' | 'handed_off';
  /** the customer's own words about their order problem */
  problem?: string;
  name?: string;
  orderNumber?: string;
  /** answers to the current question that we could not use */
  failedAttempts: number;
}

/** the body of POST /api/v1/conversations/{id}/handoff */
export interface HandoffRequest {
  summary: string;
  intent: 'order_problem' | 'unknown';
  collected?: { name: string | null; orderNumber: string | null };
  reason: string;
  language: Language;
  priority?: number;
}

export interface Turn {
  state: DialogueState;
  /** a message to post to the customer (before the handoff, if both are set) */
  reply?: string;
  handoff?: HandoffRequest;
}

/** How many unusable answers to one question before the bot hands off with what it has. */
export const MAX_FAILED_ATTEMPTS = 2;
/** Order problems jump ahead of ordinary conversations in the operators' queue (higher = sooner). */
export const ORDER_PROBLEM_PRIORITY = 1;

const TEXT = {
  en: {
    greeting:
      "Hello! I'm the shop's assistant. I can tell you our opening hours, delivery times and how returns work, or help with a problem with an order.",
    welcomeBack: "Hello again! I'm the shop's assistant. What else can I help you with?",
    hours: "We're open Monday to Friday 9:00–20:00 and Saturday 10:00–18:00; closed on Sundays.",
    delivery:
      'Orders leave our warehouse within one working day; delivery takes 2–4 working days (next day within the city).',
    returns:
      'You can return unused items within 30 days of delivery: write to us with your order number and we will send a return label. Refunds arrive within 5 working days after we receive the item.',
    askName: "I'm sorry to hear that — let's sort it out. What is your name?",
    askNameAgain: 'Sorry, I did not catch your name. What is it?',
    askOrderNumber: (name: string | undefined) =>
      `Thank you${name ? `, ${name}` : ''}. What is your order number? It looks like A-1234 or is a number from your confirmation e-mail.`,
    askOrderNumberAgain:
      'I could not find an order number in that. It looks like A-1234, or digits only, e.g. 100245.',
    handingOffOrder: (name: string | undefined, orderNumber: string | undefined) =>
      `Thank you${name ? `, ${name}` : ''}. I have passed ${orderNumber ? `order ${orderNumber}` : 'your case'} to a colleague, who will reply here shortly.`,
    handingOffUnknown:
      "I'm not sure about that one, so I have passed your question to a colleague, who will reply here shortly.",
  },
  ru: {
    greeting:
      'Здравствуйте! Я помощник магазина. Могу рассказать о часах работы, сроках доставки и возврате товара или помочь, если с заказом что-то не так.',
    welcomeBack: 'Снова здравствуйте! Я помощник магазина. Чем ещё могу помочь?',
    hours:
      'Мы работаем с понедельника по пятницу с 9:00 до 20:00, в субботу с 10:00 до 18:00, в воскресенье выходной.',
    delivery:
      'Заказ уходит со склада в течение одного рабочего дня; доставка занимает 2–4 рабочих дня (по городу — на следующий день).',
    returns:
      'Неиспользованный товар можно вернуть в течение 30 дней после доставки: напишите нам номер заказа, и мы пришлём этикетку для возврата. Деньги вернутся в течение 5 рабочих дней после получения товара.',
    askName: 'Очень жаль, давайте разберёмся. Как вас зовут?',
    askNameAgain: 'Простите, я не понял, как вас зовут. Напишите, пожалуйста, ваше имя.',
    askOrderNumber: (name: string | undefined) =>
      `Спасибо${name ? `, ${name}` : ''}. Какой номер заказа? Он выглядит как A-1234 или состоит из цифр — он есть в письме с подтверждением.`,
    askOrderNumberAgain:
      'Я не нашёл здесь номера заказа. Он выглядит как A-1234 или состоит только из цифр, например 100245.',
    handingOffOrder: (name: string | undefined, orderNumber: string | undefined) =>
      `Спасибо${name ? `, ${name}` : ''}. Я передал ${orderNumber ? `заказ ${orderNumber}` : 'ваше обращение'} коллеге, он ответит здесь в ближайшее время.`,
    handingOffUnknown:
      'На этот вопрос я ответить не могу, поэтому передал его коллеге — он ответит здесь в ближайшее время.',
  },
} as const;

type Topic = 'order_problem' | 'returns' | 'delivery' | 'hours';

/**
 * Topics in precedence order: "my delivery arrived damaged" is an order problem, not a delivery
 * question. JavaScript's \b only knows ASCII letters, so the Russian patterns match word stems.
 */
const TOPICS: ReadonlyArray<{ topic: Topic; pattern: RegExp }> = [
  {
    topic: 'order_problem',
    pattern:
      /\b(damaged|broken|cracked|faulty|defective|missing|wrong (item|size|colou?r|product)|lost|never (arrived|came)|(didn't|did not|hasn't|has not|haven't|have not|not) (arrive|arrived|come|came|received)|where is my (order|parcel|package)|problem with (my|the|an) order|order problem)\b|поврежд|слома|разбит|бракован|не приш|не доставил|не привез|потерял|проблем\S* с заказ|где (мой )?заказ|не тот товар/i,
  },
  {
    topic: 'returns',
    pattern: /\b(return|returns|returning|refund|send (it )?back|exchange)\b|возврат|вернуть|обмен/i,
  },
  {
    topic: 'delivery',
    pattern: /\b(delivery|deliver|shipping|ship|shipped|how long)\b|доставк|доставля|привез/i,
  },
  {
    topic: 'hours',
    pattern:
      /\b(open|opening|hours|close|closing|closed)\b|час\S* работы|работаете|открыт|график|до скольки/i,
  },
];
const GREETING =
  /^\s*(hi|hello|hey|good (morning|afternoon|evening)|привет|здравствуй\p{L}*|добрый (день|вечер)|доброе утро)(?!\p{L})[\s\p{P}]*/iu;

export function initialState(language: Language = 'en'): DialogueState {
  return { language, step: 'chatting', failedAttempts: 0 };
}

/**
 * Russian when the text has Cyrillic letters, English when it has other words; undefined when it has
 * no words (only punctuation, digits or an order number like A-1234).
 */
export function detectLanguage(text: string): Language | undefined {
  if (/\p{Script=Cyrillic}/u.test(text)) return 'ru';
  const orderNumber = findOrderNumber(text);
  const rest = orderNumber ? text.replace(new RegExp(orderNumber, 'i'), ' ') : text;
  return /\p{L}{2}/u.test(rest) ? 'en' : undefined;
}

/** "A-1234" (one to three letters, a dash, digits) or a bare number of 4–12 digits */
export function findOrderNumber(text: string): string | undefined {
  const lettered = /(?<![\p{L}\d])(\p{L}{1,3})-(\d{3,12})(?!\d)/u.exec(text);
  if (lettered) return `${lettered[1].toUpperCase()}-${lettered[2]}`;
  return /(?<![\d-])\d{4,12}(?!\d)/.exec(text)?.[0];
}

/** the name in "My name is Vera", "меня зовут Вера", "Vera Petrova." — undefined if it does not look like one */
export function findName(text: string): string | undefined {
  const orderNumber = findOrderNumber(text);
  const name = (orderNumber ? text.replace(new RegExp(orderNumber.replace('-', '-?'), 'i'), ' ') : text)
    .replace(GREETING, '')
    .replace(
      /^\s*(my name is|my name's|name is|i am|i'm|this is|it's|меня зовут|моё имя|мое имя|это|я)\s+/iu,
      '',
    )
    .replace(/(^|\s)(order|number|заказ\p{L}*|номер\p{L}*)(\s.*)?$/iu, '')
    .replace(/[\s,.;:!?]+$/u, '')
    .trim();
  const words = name.split(/\s+/).filter(Boolean);
  const looksLikeName =
    words.length >= 1 && words.length <= 4 && words.every((word) => /^[\p{L}'’-]+$/u.test(word));
  return looksLikeName && name.length <= 80 ? name : undefined;
}

/** The bot's next turn for one customer message. */
export function respond(previous: DialogueState, text: string): Turn {
  // the language follows the customer's questions; a name or an order number ("Vera", "A-1234") does not change it
  const language =
    previous.step === 'chatting' ? (detectLanguage(text) ?? previous.language) : previous.language;
  const state: DialogueState = { ...previous, language };
  const say = TEXT[state.language];
  switch (state.step) {
    case 'handed_off':
      // humans have the conversation: a bot must not talk over them
      return { state: previous };
    case 'asking_name': {
      const name = findName(text);
      const orderNumber = state.orderNumber ?? findOrderNumber(text);
      if (!name) return retryOrHandOff({ ...state, orderNumber }, say.askNameAgain);
      return askForOrderNumberOrHandOff({ ...state, name, orderNumber, failedAttempts: 0 });
    }
    case 'asking_order_number': {
      const orderNumber = findOrderNumber(text);
      if (!orderNumber) return retryOrHandOff(state, say.askOrderNumberAgain);
      return handOffOrderProblem({ ...state, orderNumber });
    }
    case 'chatting':
      return answer(state, text);
  }
}

/** After an operator hands the conversation back: start over, greeting the customer again. */
export function welcomeBack(previous: DialogueState | undefined, language?: Language): Turn {
  const state = initialState(language ?? previous?.language);
  return { state, reply: TEXT[state.language].welcomeBack };
}

function answer(state: DialogueState, text: string): Turn {
  const say = TEXT[state.language];
  const topic = TOPICS.find((candidate) => candidate.pattern.test(text))?.topic;
  switch (topic) {
    case 'order_problem':
      return {
        state: {
          ...state,
          step: 'asking_name',
          problem: text.trim().slice(0, 500),
          orderNumber: findOrderNumber(text),
          failedAttempts: 0,
        },
        reply: say.askName,
      };
    case 'returns':
    case 'delivery':
    case 'hours':
      return { state, reply: say[topic] };
    case undefined: {
      const greeting = GREETING.exec(text);
      // "Hello!" or "hi there" is a greeting; "Hi, do you sell gift cards?" is a question
      if (greeting && text.slice(greeting[0].length).split(/\s+/).filter(Boolean).length <= 1)
        return { state, reply: say.greeting };
      return {
        state: { ...state, step: 'handed_off' },
        reply: say.handingOffUnknown,
        handoff: {
          summary: `Question the FAQ bot could not answer: "${clip(text, 300)}"`,
          intent: 'unknown',
          reason: 'cannot_answer',
          language: state.language,
        },
      };
    }
  }
}

function askForOrderNumberOrHandOff(state: DialogueState): Turn {
  if (state.orderNumber) return handOffOrderProblem(state);
  return {
    state: { ...state, step: 'asking_order_number', failedAttempts: 0 },
    reply: TEXT[state.language].askOrderNumber(state.name),
  };
}

/** ask the same question again, or — after too many tries — hand off with what was collected */
function retryOrHandOff(state: DialogueState, again: string): Turn {
  const failedAttempts = state.failedAttempts + 1;
  if (failedAttempts >= MAX_FAILED_ATTEMPTS) return handOffOrderProblem(state);
  return { state: { ...state, failedAttempts }, reply: again };
}

function handOffOrderProblem(state: DialogueState): Turn {
  const name = state.name ?? null;
  const orderNumber = state.orderNumber ?? null;
  return {
    state: { ...state, step: 'handed_off', failedAttempts: 0 },
    reply: TEXT[state.language].handingOffOrder(state.name, state.orderNumber),
    handoff: {
      summary: `Order problem: "${clip(state.problem ?? '', 300)}" — name: ${name ?? 'not given'}, order: ${orderNumber ?? 'not given'}.`,
      intent: 'order_problem',
      collected: { name, orderNumber },
      reason: 'needs_human',
      language: state.language,
      priority: ORDER_PROBLEM_PRIORITY,
    },
  };
}

function clip(text: string, max: number): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length <= max ? oneLine : `${oneLine.slice(0, max - 1)}…`;
}
