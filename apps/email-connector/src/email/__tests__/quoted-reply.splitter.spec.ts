import { QuotedReplySplitter } from '../quoted-reply.splitter';

describe(QuotedReplySplitter.name, () => {
  const sut = new QuotedReplySplitter();
  const split = (lines: string[]): string | undefined => sut.split(lines.join('\n'));

  it.each([
    ['Gmail, English', ['Thanks!', '', 'On Tue, Mar 12, 2024 at 10:14 AM Acme <support@acme.test> wrote:', '> Hello'], 2],
    ['Gmail, attribution wrapped over two lines', ['Thanks!', '', 'On Tue, Mar 12, 2024 at 10:14 AM Acme Support <', 'support@acme.test> wrote:', '', '> Hello'], 2],
    ['Apple Mail', ['Sure.', '', 'On 12 Mar 2024, at 10:14, Acme <support@acme.test> wrote:', '', '> Hello'], 2],
    ['Outlook, English header block', ['Fine by me.', '', '________________________________', 'From: Acme <support@acme.test>', 'Sent: Tuesday, March 12, 2024 10:14', 'To: Bob', 'Subject: Order'], 2],
    ['Outlook, bare From/Sent block', ['Fine by me.', '', 'From: Acme <support@acme.test>', 'Sent: Tuesday, March 12, 2024 10:14', 'Subject: Order', '', 'Hello'], 2],
    ['Outlook, -----Original Message-----', ['Ok', '-----Original Message-----', 'From: Acme'], 1],
    ['Thunderbird, Russian', ['Спасибо', '', '12.03.2024 10:14, Acme пишет:', '> Здравствуйте'], 2],
    ['Gmail, Russian', ['Спасибо', '', 'вт, 12 мар. 2024 г. в 10:14, Acme <support@acme.test>:', '> Здравствуйте'], 2],
    ['Yandex', ['Спасибо', '', '12.03.2024, 10:14, "Acme" <support@acme.test>:', '> Здравствуйте'], 2],
    ['Mail.ru', ['Спасибо', '', 'Вторник, 12 марта 2024, 10:14 +03:00 от Acme <support@acme.test>:', '> Здравствуйте'], 2],
    ['Outlook, Russian', ['Хорошо', '', '-----Исходное сообщение-----', 'От: Acme', 'Отправлено: 12 марта 2024 г.'], 2],
    ['Outlook, Russian header block', ['Хорошо', '', 'От: Acme <support@acme.test>', 'Отправлено: 12 марта 2024 г. 10:14', 'Кому: Иван'], 2],
    ['Gmail, Persian with RTL marks', ['ممنون', '', '\u200fدر تاریخ سه‌شنبه ۱۲ مارس ۲۰۲۴ Acme <\u200esupport@acme.test\u200e> نوشت:\u200f', '> سلام'], 2],
    ['plain > quoting at the end', ['Yes, please.', '', '> Should we ship it?', '>', '> Acme'], 2],
  ])('finds the quote of %s', (_client, lines, start) => {
    const text = lines.join('\n');
    const quoted = sut.split(text);
    expect(quoted).toBe(lines.slice(start).join('\n'));
    expect(text.endsWith(quoted ?? '-')).toBe(true);
  });

  it('keeps an inline (bottom-posted) answer visible', () => {
    expect(split(['Hi', '', 'On Mon, Acme wrote:', '> Question one?', 'Answer one.', '> Question two?', 'Answer two.'])).toBeUndefined();
  });

  it('does not fold away a message that is nothing but a quote', () => {
    expect(split(['> only quoted', '> text'])).toBeUndefined();
    expect(split(['On Mon, Acme wrote:', '> text'])).toBeUndefined();
  });

  it('does not take a line that merely mentions writing for an attribution', () => {
    expect(split(['I wrote: the parcel is late.', 'Please check.'])).toBeUndefined();
    expect(split(['From: the warehouse, the parcel never left.', 'Please check.'])).toBeUndefined();
  });

  it('keeps a forwarded message (the customer’s content)', () => {
    expect(split(['See below', '', '---------- Forwarded message ---------', 'From: Shop <shop@x.test>', 'Date: Mon', '', 'Your order'])).toBeUndefined();
    expect(split(['Смотрите ниже', '', '-------- Пересылаемое сообщение --------', 'От: Магазин', 'Дата: пн', '', 'Ваш заказ'])).toBeUndefined();
  });

  it('returns undefined for empty text', () => {
    expect(sut.split('')).toBeUndefined();
  });
});
