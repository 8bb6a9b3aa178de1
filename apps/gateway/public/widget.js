/*! Switchboard web chat widget — no dependencies. Embed:
 *  <script src="https://YOUR-GATEWAY/widget.js" async></script>
 *  <script>window.addEventListener('load', function () { Switchboard.init({ inboxKey: '...' }); });</script>
 *  Options: inboxKey (required), user: {identifier, identifierHash, name, email}, locale: 'en'|'ru'|'fa', open: boolean.
 */
(function () {
  'use strict';
  if (window.Switchboard && window.Switchboard.init) return;
  var script = document.currentScript;
  var BASE = script && script.src ? new URL(script.src).origin : window.location.origin;
  var TEXTS = {
    en: {
      title: 'Chat with us',
      placeholder: 'Type a message…',
      send: 'Send',
      attach: 'Attach a file',
      open: 'Open chat',
      close: 'Close',
      typing: 'typing…',
      offline: 'Reconnecting…',
      error: 'Could not send. Try again.',
      tooLarge: 'The file is too large.',
      badType: 'This file type is not accepted.',
      welcome: 'Hi! How can we help?',
    },
    ru: {
      title: 'Напишите нам',
      placeholder: 'Введите сообщение…',
      send: 'Отправить',
      attach: 'Прикрепить файл',
      open: 'Открыть чат',
      close: 'Закрыть',
      typing: 'печатает…',
      offline: 'Переподключение…',
      error: 'Не удалось отправить. Попробуйте ещё раз.',
      tooLarge: 'Файл слишком большой.',
      badType: 'Такой тип файла не принимается.',
      welcome: 'Здравствуйте! Чем можем помочь?',
    },
    fa: {
      title: 'گفتگو با ما',
      placeholder: 'پیام خود را بنویسید…',
      send: 'ارسال',
      attach: 'پیوست فایل',
      open: 'باز کردن گفتگو',
      close: 'بستن',
      typing: 'در حال نوشتن…',
      offline: 'در حال اتصال دوباره…',
      error: 'ارسال نشد. دوباره تلاش کنید.',
      tooLarge: 'فایل بیش از حد بزرگ است.',
      badType: 'این نوع فایل پذیرفته نمی‌شود.',
      welcome: 'سلام! چطور می‌توانیم کمک کنیم؟',
    },
  };
  var RTL = { fa: true };
  var CSS =
    ':host{all:initial}*{box-sizing:border-box;font-family:system-ui,-apple-system,"Segoe UI",Tahoma,sans-serif}' +
    '.launcher{position:fixed;bottom:20px;right:20px;width:56px;height:56px;border-radius:50%;border:0;background:#2457d6;color:#fff;font-size:26px;cursor:pointer;box-shadow:0 4px 14px rgba(0,0,0,.25);z-index:2147483000}' +
    '.rtl .launcher{right:auto;left:20px}' +
    '.panel{position:fixed;bottom:88px;right:20px;width:340px;max-width:calc(100vw - 40px);height:460px;max-height:calc(100vh - 120px);background:#fff;border-radius:12px;box-shadow:0 8px 30px rgba(0,0,0,.25);display:none;flex-direction:column;overflow:hidden;z-index:2147483000}' +
    '.rtl .panel{right:auto;left:20px}.panel.open{display:flex}' +
    '.head{background:#2457d6;color:#fff;padding:12px 14px;font-size:15px;display:flex;justify-content:space-between;align-items:center}' +
    '.head button{background:none;border:0;color:#fff;font-size:18px;cursor:pointer}' +
    '.status{font-size:12px;color:#a33;padding:4px 12px;display:none}.status.show{display:block}' +
    '.messages{flex:1;overflow-y:auto;padding:12px;background:#f5f6f8;display:flex;flex-direction:column;gap:6px}' +
    '.msg{max-width:80%;padding:8px 10px;border-radius:10px;font-size:14px;line-height:1.35;white-space:pre-wrap;word-wrap:break-word}' +
    '.msg.in{align-self:flex-end;background:#2457d6;color:#fff}.msg.out{align-self:flex-start;background:#fff;color:#222;border:1px solid #e2e4e8}' +
    '.rtl .msg.in{align-self:flex-start}.rtl .msg.out{align-self:flex-end}' +
    '.msg .who{display:block;font-size:11px;opacity:.7;margin-bottom:2px}.msg a{color:inherit}.msg.pending{opacity:.6}.msg.failed{border:1px solid #c33}' +
    '.typing{font-size:12px;color:#666;padding:0 12px 4px;min-height:16px}' +
    '.compose{display:flex;gap:6px;padding:8px;border-top:1px solid #e2e4e8;align-items:flex-end}' +
    '.compose textarea{flex:1;resize:none;border:1px solid #ccd;border-radius:8px;padding:8px;font-size:14px;height:40px;max-height:100px}' +
    '.compose button{border:0;border-radius:8px;background:#2457d6;color:#fff;padding:0 12px;height:40px;cursor:pointer;font-size:14px}' +
    '.compose .attach{background:#e9ecf3;color:#333;padding:0 10px}';

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function uid() {
    var bytes = new Uint8Array(12);
    (window.crypto || window.msCrypto).getRandomValues(bytes);
    return Array.prototype.map
      .call(bytes, function (b) {
        return ('0' + b.toString(16)).slice(-2);
      })
      .join('');
  }
  function request(method, path, token, body, headers) {
    var init = { method: method, headers: headers || {} };
    if (token) init.headers.Authorization = 'Bearer ' + token;
    if (body !== undefined) {
      if (body instanceof Blob) init.body = body;
      else {
        init.headers['Content-Type'] = 'application/json';
        init.body = JSON.stringify(body);
      }
    }
    return fetch(BASE + path, init).then(function (res) {
      return res.text().then(function (text) {
        var data = text ? JSON.parse(text) : null;
        if (!res.ok) {
          var error = new Error((data && data.error && data.error.message) || res.statusText);
          error.status = res.status;
          error.code = data && data.error && data.error.code;
          throw error;
        }
        return data;
      });
    });
  }

  /** A minimal Socket.IO (v4, engine.io v4) client over WebSocket: connect with auth, events, ping/pong. */
  function Socket(auth, handlers) {
    this.auth = auth;
    this.handlers = handlers;
    this.closed = false;
    this.attempt = 0;
    this.open();
  }
  Socket.prototype.open = function () {
    var self = this;
    var url = BASE.replace(/^http/, 'ws') + '/webchat/v1/socket/?EIO=4&transport=websocket';
    var ws = new WebSocket(url);
    self.ws = ws;
    self.connected = false;
    ws.onmessage = function (event) {
      var data = String(event.data);
      var type = data.charAt(0);
      if (type === '0') ws.send('40' + JSON.stringify(self.auth()));
      else if (type === '2') ws.send('3');
      else if (type === '4') {
        var kind = data.charAt(1),
          payload = data.slice(2);
        if (kind === '0') {
          self.connected = true;
          self.attempt = 0;
          self.handlers.connect();
        } else if (kind === '4') {
          self.handlers.refused(payload ? JSON.parse(payload) : {});
        } else if (kind === '2') {
          var args = JSON.parse(payload);
          if (self.handlers[args[0]]) self.handlers[args[0]](args[1]);
        }
      }
    };
    ws.onclose = function () {
      var was = self.connected;
      self.connected = false;
      if (was) self.handlers.disconnect();
      if (self.closed) return;
      var delay = Math.min(15000, 500 * Math.pow(2, self.attempt++)) * (0.5 + Math.random() / 2);
      setTimeout(function () {
        if (!self.closed) self.open();
      }, delay);
    };
  };
  Socket.prototype.emit = function (name, body) {
    if (this.connected && this.ws.readyState === 1) this.ws.send('42' + JSON.stringify([name, body]));
  };
  Socket.prototype.close = function () {
    this.closed = true;
    if (this.ws) this.ws.close();
  };

  function Widget(options) {
    var lang = String(options.locale || navigator.language || 'en')
      .slice(0, 2)
      .toLowerCase();
    this.locale = TEXTS[lang] ? lang : 'en';
    this.t = TEXTS[this.locale];
    this.options = options;
    this.seen = {};
    this.storageKey =
      'switchboard:' + options.inboxKey + ':' + ((options.user && options.user.identifier) || 'visitor');
    this.render();
    if (options.open) this.toggle(true);
  }
  Widget.prototype.render = function () {
    var self = this,
      t = this.t;
    this.host = el('div');
    this.host.setAttribute('data-switchboard', 'widget');
    var root = this.host.attachShadow ? this.host.attachShadow({ mode: 'open' }) : this.host;
    var style = el('style');
    style.textContent = CSS;
    root.appendChild(style);
    var wrap = el('div', RTL[this.locale] ? 'rtl' : 'ltr');
    wrap.setAttribute('dir', RTL[this.locale] ? 'rtl' : 'ltr');
    wrap.setAttribute('lang', this.locale);
    this.launcher = el('button', 'launcher', '💬');
    this.launcher.setAttribute('aria-label', t.open);
    this.launcher.onclick = function () {
      self.toggle();
    };
    this.panel = el('div', 'panel');
    this.panel.setAttribute('role', 'dialog');
    this.panel.setAttribute('aria-label', t.title);
    var head = el('div', 'head');
    head.appendChild(el('span', 'title', t.title));
    var close = el('button', 'close', '×');
    close.setAttribute('aria-label', t.close);
    close.onclick = function () {
      self.toggle(false);
    };
    head.appendChild(close);
    this.status = el('div', 'status', t.offline);
    this.list = el('div', 'messages');
    this.list.setAttribute('aria-live', 'polite');
    this.typingLine = el('div', 'typing');
    var compose = el('div', 'compose');
    this.input = el('textarea', 'input');
    this.input.setAttribute('placeholder', t.placeholder);
    this.input.setAttribute('aria-label', t.placeholder);
    this.input.onkeydown = function (event) {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        self.send();
      }
    };
    this.input.oninput = function () {
      if (self.socket) self.socket.emit('typing', { state: 'typing' });
    };
    this.file = el('input');
    this.file.type = 'file';
    this.file.style.display = 'none';
    this.file.onchange = function () {
      if (self.file.files && self.file.files[0]) self.upload(self.file.files[0]);
      self.file.value = '';
    };
    var attach = el('button', 'attach', '📎');
    attach.setAttribute('aria-label', t.attach);
    attach.onclick = function () {
      self.file.click();
    };
    this.sendButton = el('button', 'send', t.send);
    this.sendButton.onclick = function () {
      self.send();
    };
    compose.appendChild(attach);
    compose.appendChild(this.input);
    compose.appendChild(this.sendButton);
    compose.appendChild(this.file);
    this.panel.appendChild(head);
    this.panel.appendChild(this.status);
    this.panel.appendChild(this.list);
    this.panel.appendChild(this.typingLine);
    this.panel.appendChild(compose);
    wrap.appendChild(this.panel);
    wrap.appendChild(this.launcher);
    root.appendChild(wrap);
    document.body.appendChild(this.host);
  };
  Widget.prototype.toggle = function (open) {
    var show = open === undefined ? !this.panel.classList.contains('open') : open;
    this.panel.classList.toggle('open', show);
    if (show) {
      this.start();
      this.input.focus();
    }
  };
  Widget.prototype.start = function () {
    var self = this;
    if (this.started) return this.started;
    this.started = this.session()
      .then(function () {
        self.list.appendChild(el('div', 'msg out', self.t.welcome));
        return self.history();
      })
      .then(function () {
        self.connect();
      })
      .catch(function (error) {
        self.started = null;
        self.showError(error);
      });
    return this.started;
  };
  Widget.prototype.session = function (fresh) {
    var self = this,
      stored = null;
    try {
      stored = JSON.parse(localStorage.getItem(this.storageKey) || 'null');
    } catch (e) {
      stored = null;
    }
    if (!fresh && stored && stored.expiresAt > Date.now() + 60000) {
      this.token = stored.visitorToken;
      this.conversationId = stored.conversationId;
      return Promise.resolve();
    }
    var user = this.options.user || {};
    return request('POST', '/webchat/v1/sessions', null, {
      inboxKey: this.options.inboxKey,
      name: user.name,
      email: user.email,
      identifier: user.identifier,
      identifierHash: user.identifierHash,
    }).then(function (s) {
      self.token = s.visitorToken;
      self.conversationId = s.conversationId;
      try {
        localStorage.setItem(
          self.storageKey,
          JSON.stringify({
            visitorToken: s.visitorToken,
            conversationId: s.conversationId,
            expiresAt: Date.now() + s.expiresIn * 1000,
          }),
        );
      } catch (e) {
        /* private mode */
      }
    });
  };
  Widget.prototype.history = function () {
    var self = this;
    return request('GET', '/webchat/v1/messages?limit=100', this.token).then(function (page) {
      page.items.forEach(function (m) {
        self.add(m);
      });
    });
  };
  Widget.prototype.connect = function () {
    var self = this;
    this.socket = new Socket(
      function () {
        return { visitorToken: self.token };
      },
      {
        connect: function () {
          self.status.classList.remove('show');
          if (self.reconnecting) self.history();
          self.reconnecting = false;
        },
        disconnect: function () {
          self.status.classList.add('show');
          self.reconnecting = true;
        },
        refused: function (info) {
          if (
            info &&
            info.data &&
            (info.data.code === 'TOKEN_EXPIRED' || info.data.code === 'INVALID_TOKEN')
          ) {
            self.socket.close();
            self.session(true).then(function () {
              self.connect();
            });
          }
        },
        'message.created': function (m) {
          self.typingLine.textContent = '';
          self.add(m);
        },
        typing: function (e) {
          if (!e || e.state !== 'typing') {
            self.typingLine.textContent = '';
            return;
          }
          self.typingLine.textContent = (e.name ? e.name + ' ' : '') + self.t.typing;
          clearTimeout(self.typingTimer);
          self.typingTimer = setTimeout(function () {
            self.typingLine.textContent = '';
          }, 5000);
        },
      },
    );
  };
  Widget.prototype.add = function (m) {
    if (!m || this.seen[m.id]) {
      if (m && this.seen[m.id] && this.seen[m.id].classList) this.seen[m.id].classList.remove('pending');
      return;
    }
    var node = el('div', 'msg ' + (m.direction === 'inbound' ? 'in' : 'out'));
    if (m.direction === 'outbound' && m.senderName) node.appendChild(el('span', 'who', m.senderName));
    node.appendChild(document.createTextNode(m.text || ''));
    (m.attachments || []).forEach(function (a) {
      var link = el('a', 'file', '📎 ' + a.name);
      link.href = a.url;
      link.target = '_blank';
      link.rel = 'noopener noreferrer';
      node.appendChild(document.createElement('br'));
      node.appendChild(link);
    });
    node.setAttribute('data-id', m.id);
    this.seen[m.id] = node;
    this.list.appendChild(node);
    this.list.scrollTop = this.list.scrollHeight;
  };
  Widget.prototype.send = function (attachments) {
    var self = this,
      text = this.input.value.trim();
    if (!text && !attachments) return;
    var clientId = uid(),
      id;
    this.input.value = '';
    return this.start()
      .then(function () {
        id = 'webchat:' + self.conversationId + ':' + clientId;
        if (text) {
          self.add({ id: id, direction: 'inbound', text: text, attachments: [] });
          self.seen[id].classList.add('pending');
        }
        return request('POST', '/webchat/v1/messages', self.token, {
          text: text,
          clientMessageId: clientId,
          attachments: attachments || [],
          pageUrl: location.href.slice(0, 2000),
          language: self.locale,
        });
      })
      .then(function (m) {
        if (self.seen[id]) self.seen[id].classList.remove('pending');
        else self.add(m);
      })
      .catch(function (error) {
        if (id && self.seen[id]) self.seen[id].classList.add('failed');
        self.showError(error);
      });
  };
  Widget.prototype.upload = function (file) {
    var self = this;
    return this.start()
      .then(function () {
        return request(
          'POST',
          '/webchat/v1/attachments?name=' + encodeURIComponent(file.name),
          self.token,
          file,
          { 'Content-Type': file.type || 'application/octet-stream' },
        );
      })
      .then(function (upload) {
        return self.send([upload.token]);
      })
      .catch(function (error) {
        self.showError(error);
      });
  };
  Widget.prototype.showError = function (error) {
    var t = this.t;
    this.status.textContent =
      error && error.status === 413 ? t.tooLarge : error && error.status === 415 ? t.badType : t.error;
    this.status.classList.add('show');
    var status = this.status;
    setTimeout(function () {
      status.classList.remove('show');
      status.textContent = t.offline;
    }, 4000);
  };

  var instance = null;
  window.Switchboard = {
    init: function (options) {
      if (!options || !options.inboxKey) throw new Error('Switchboard.init: inboxKey is required');
      if (instance) return instance;
      instance = new Widget(options);
      return instance;
    },
    open: function () {
      if (instance) instance.toggle(true);
    },
    close: function () {
      if (instance) instance.toggle(false);
    },
  };
})();
