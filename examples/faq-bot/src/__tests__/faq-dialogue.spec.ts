import {
  detectLanguage,
  findName,
  findOrderNumber,
  initialState,
  MAX_FAILED_ATTEMPTS,
  ORDER_PROBLEM_PRIORITY,
  respond,
  welcomeBack,
  type DialogueState,
  type Turn,
} from '../faq-dialogue';

/** plays the customer's messages one after the other, returning every turn */
function converse(messages: string[], start: DialogueState = initialState()): Turn[] {
  const turns: Turn[] = [];
  let state = start;
  for (const text of messages) {
    const turn = respond(state, text);
    turns.push(turn);
    state = turn.state;
  }
  return turns;
}

describe('FAQ dialogue', () => {
  describe('answers', () => {
    it.each([
      ['What are your opening hours?', /Monday to Friday 9:00–20:00/],
      ['When do you close on Saturday?', /Saturday 10:00–18:00/],
      ['How long does delivery take?', /2–4 working days/],
      ['Can I return a jacket?', /within 30 days/],
      ['Какие у вас часы работы?', /с понедельника по пятницу/],
      ['Сколько идёт доставка?', /2–4 рабочих дня/],
      ['Как оформить возврат?', /в течение 30 дней/],
    ])('%s', (text, answer) => {
      const turn = respond(initialState(), text);
      expect(turn.reply).toMatch(answer);
      expect(turn.handoff).toBeUndefined();
      expect(turn.state.step).toBe('chatting');
    });

    it('greets a greeting, in the customer’s language', () => {
      expect(respond(initialState(), 'Hello!').reply).toMatch(/^Hello! I'm the shop's assistant/);
      expect(respond(initialState(), 'Hi there').reply).toMatch(/^Hello!/);
      const ru = respond(initialState(), 'Здравствуйте!');
      expect(ru.reply).toMatch(/^Здравствуйте! Я помощник магазина/);
      expect(ru.state.language).toBe('ru');
      expect(ru.handoff).toBeUndefined();
    });

    it('answers the question behind a greeting rather than only greeting back', () => {
      expect(respond(initialState(), 'Hi, what are your opening hours?').reply).toMatch(/Monday to Friday/);
    });

    it('keeps the conversation’s language for a Latin-script name or an order number', () => {
      const turns = converse(['Мой заказ пришёл разбитым', 'Vera', 'A-1234']);
      expect(turns[1].reply).toMatch(/^Спасибо, Vera/);
      expect(turns[2].handoff?.language).toBe('ru');
    });

    it('keeps the language of the conversation when a message has no letters', () => {
      const [first, second] = converse(['Привет', '???']);
      expect(first.state.language).toBe('ru');
      expect(second.state.language).toBe('ru');
      expect(second.handoff?.language).toBe('ru');
    });
  });

  describe('order problems', () => {
    it('collects the name, then the order number, over several messages, then hands off', () => {
      const turns = converse(['My parcel arrived damaged', 'My name is Vera Petrova', 'It is A-1234']);
      expect(turns[0]).toMatchObject({
        reply: expect.stringMatching(/What is your name/),
        state: { step: 'asking_name' },
      });
      expect(turns[0].handoff).toBeUndefined();
      expect(turns[1]).toMatchObject({
        reply: expect.stringMatching(/Thank you, Vera Petrova\. What is your order number/),
        state: { step: 'asking_order_number', name: 'Vera Petrova' },
      });
      expect(turns[1].handoff).toBeUndefined();
      expect(turns[2].reply).toMatch(/passed order A-1234 to a colleague/);
      expect(turns[2].state.step).toBe('handed_off');
      expect(turns[2].handoff).toEqual({
        summary: 'Order problem: "My parcel arrived damaged" — name: Vera Petrova, order: A-1234.',
        intent: 'order_problem',
        collected: { name: 'Vera Petrova', orderNumber: 'A-1234' },
        reason: 'needs_human',
        language: 'en',
        priority: ORDER_PROBLEM_PRIORITY,
      });
    });

    it('in Russian, with a numeric order number', () => {
      const turns = converse(['Заказ пришёл повреждённым', 'Меня зовут Анна', 'номер 100245']);
      expect(turns[0].reply).toMatch(/Как вас зовут/);
      expect(turns[1].reply).toMatch(/Спасибо, Анна\. Какой номер заказа/);
      expect(turns[2].handoff).toMatchObject({
        intent: 'order_problem',
        collected: { name: 'Анна', orderNumber: '100245' },
        reason: 'needs_human',
        language: 'ru',
      });
      expect(turns[2].reply).toMatch(/передал заказ 100245 коллеге/);
    });

    it('does not ask again for an order number given up front', () => {
      const turns = converse(['Order a-77812 never arrived', 'Vera']);
      expect(turns[0].state).toMatchObject({ step: 'asking_name', orderNumber: 'A-77812' });
      expect(turns[1].handoff?.collected).toEqual({ name: 'Vera', orderNumber: 'A-77812' });
    });

    it('asks again for an unusable answer, and hands off with what it has after too many', () => {
      const turns = converse(['The item is broken', 'Kate', 'no idea, sorry!', 'I really do not know it']);
      expect(turns[2]).toMatchObject({
        reply: expect.stringMatching(/could not find an order number/),
        state: { step: 'asking_order_number' },
      });
      expect(turns[2].handoff).toBeUndefined();
      expect(MAX_FAILED_ATTEMPTS).toBe(2);
      expect(turns[3].handoff).toMatchObject({
        intent: 'order_problem',
        collected: { name: 'Kate', orderNumber: null },
      });
      expect(turns[3].reply).toMatch(/passed your case to a colleague/);
    });

    it('asks again when the answer to “what is your name” is not a name', () => {
      const [, second] = converse(['my order is damaged', '12:30, yesterday, at the door???']);
      expect(second.reply).toMatch(/did not catch your name/);
      expect(second.state.step).toBe('asking_name');
    });
  });

  describe('what it cannot answer', () => {
    it('hands off with intent unknown', () => {
      const turn = respond(initialState(), 'Do you sell gift cards?');
      expect(turn.reply).toMatch(/passed your question to a colleague/);
      expect(turn.handoff).toEqual({
        summary: 'Question the FAQ bot could not answer: "Do you sell gift cards?"',
        intent: 'unknown',
        reason: 'cannot_answer',
        language: 'en',
      });
      expect(turn.state.step).toBe('handed_off');
    });

    it('stays silent once handed off', () => {
      const [, after] = converse(['Do you sell gift cards?', 'hello?']);
      expect(after.reply).toBeUndefined();
      expect(after.handoff).toBeUndefined();
    });
  });

  describe(welcomeBack.name, () => {
    it('greets again and starts over after a hand-back, in the conversation’s language', () => {
      const [handedOff] = converse(['Где мой заказ?']);
      const back = welcomeBack(handedOff.state);
      expect(back.reply).toMatch(/^Снова здравствуйте/);
      expect(back.state).toEqual(initialState('ru'));
      expect(welcomeBack(undefined).reply).toMatch(/^Hello again/);
      expect(welcomeBack(undefined, 'ru').reply).toMatch(/^Снова здравствуйте/);
      expect(respond(back.state, 'How long does delivery take?').reply).toMatch(/2–4 working days/);
    });
  });

  describe('helpers', () => {
    it.each([
      ['привет', 'ru'],
      ['hello', 'en'],
      ['A-1234', undefined],
      ['order A-1234', 'en'],
      ['1234 !!', undefined],
    ])('detectLanguage(%p) = %p', (text, language) => {
      expect(detectLanguage(text)).toBe(language);
    });

    it.each([
      ['order A-1234 please', 'A-1234'],
      ['ab-99881', 'AB-99881'],
      ['№ 100245', '100245'],
      ['it was 12 items', undefined],
      ['call me at 12-34', undefined],
    ])('findOrderNumber(%p) = %p', (text, orderNumber) => {
      expect(findOrderNumber(text)).toBe(orderNumber);
    });

    it.each([
      ["I'm Vera.", 'Vera'],
      ['меня зовут Анна', 'Анна'],
      ['Hi, this is Jean-Luc Picard', 'Jean-Luc Picard'],
      ['Vera, order A-1234', 'Vera'],
      ['Hilda', 'Hilda'],
      ['12345', undefined],
      ['I would like to know why my parcel is late again', undefined],
    ])('findName(%p) = %p', (text, name) => {
      expect(findName(text)).toBe(name);
    });
  });
});
