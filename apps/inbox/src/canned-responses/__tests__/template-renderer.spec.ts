import { TemplateRenderer } from '../template-renderer';

describe('TemplateRenderer', () => {
  const values = { 'contact.name': 'Анна', 'contact.email': null, 'operator.name': 'Bob', 'conversation.id': 'c-1' };

  it('fills known variables, with or without spaces inside the braces', () => {
    expect(TemplateRenderer.render('Здравствуйте, {{contact.name}}! I am {{ operator.name }} ({{conversation.id}})', values)).toBe(
      'Здравствуйте, Анна! I am Bob (c-1)',
    );
  });

  it('renders a known variable without a value as empty and leaves an unknown one visible', () => {
    expect(TemplateRenderer.render('[{{contact.email}}] {{order.number}}', values)).toBe('[] {{order.number}}');
  });

  it('never reads an inserted value as a template', () => {
    expect(TemplateRenderer.render('Hi {{contact.name}}', { 'contact.name': '{{operator.name}}', 'operator.name': 'Bob' })).toBe('Hi {{operator.name}}');
  });

  it('does not treat inherited object keys as variables', () => {
    expect(TemplateRenderer.render('{{constructor}} {{toString}}', values)).toBe('{{constructor}} {{toString}}');
  });

  it('lists the variables a body uses', () => {
    expect(TemplateRenderer.variables('{{a.b}} {{ a.b }} {{c}}')).toEqual(['a.b', 'c']);
  });
});
