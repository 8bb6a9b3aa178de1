/* Switchboard operator console: REST /api/v1 + realtime /ws (a minimal Socket.IO client, no dependencies). */
(function () {
  'use strict';
  var state = {
    access: null,
    refresh: null,
    me: null,
    current: null,
    socket: null,
    lastEventId: null,
    seen: {},
  };
  var $ = function (id) {
    return document.getElementById(id);
  };
  try {
    var saved = JSON.parse(sessionStorage.getItem('switchboard.session') || 'null');
    if (saved) {
      state.access = saved.access;
      state.refresh = saved.refresh;
    }
  } catch (e) {
    /* ignore */
  }

  function save() {
    sessionStorage.setItem(
      'switchboard.session',
      JSON.stringify({ access: state.access, refresh: state.refresh }),
    );
  }
  function api(method, path, body, retried) {
    var headers = { Accept: 'application/json' };
    if (state.access) headers.Authorization = 'Bearer ' + state.access;
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch('/api/v1' + path, {
      method: method,
      headers: headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (res) {
      if (res.status === 401 && state.refresh && !retried)
        return refresh().then(function () {
          return api(method, path, body, true);
        });
      return res.text().then(function (text) {
        var data = text ? JSON.parse(text) : null;
        if (!res.ok) throw new Error((data && data.error && data.error.message) || res.statusText);
        return data;
      });
    });
  }
  function refresh() {
    return fetch('/api/v1/auth/refresh', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: state.refresh }),
    })
      .then(function (res) {
        if (!res.ok) throw new Error('session ended');
        return res.json();
      })
      .then(function (pair) {
        state.access = pair.accessToken;
        state.refresh = pair.refreshToken;
        save();
      })
      .catch(function (error) {
        logout();
        throw error;
      });
  }
  function logout() {
    if (state.access)
      fetch('/api/v1/auth/logout', {
        method: 'POST',
        headers: { Authorization: 'Bearer ' + state.access, 'Content-Type': 'application/json' },
        body: '{}',
      });
    state.access = state.refresh = null;
    sessionStorage.removeItem('switchboard.session');
    if (state.socket) state.socket.close();
    show('login');
  }
  function show(which) {
    $('login').hidden = which !== 'login';
    $('app').hidden = which !== 'app';
  }
  function text(tag, value, className) {
    var node = document.createElement(tag);
    node.textContent = value;
    if (className) node.className = className;
    return node;
  }

  function Socket() {
    this.closed = false;
    this.attempt = 0;
    this.open();
  }
  Socket.prototype.open = function () {
    var self = this,
      ws = new WebSocket(location.origin.replace(/^http/, 'ws') + '/ws/?EIO=4&transport=websocket');
    this.ws = ws;
    ws.onmessage = function (event) {
      var data = String(event.data),
        kind = data.charAt(0);
      if (kind === '0')
        ws.send('40' + JSON.stringify({ token: state.access, lastEventId: state.lastEventId || undefined }));
      else if (kind === '2') ws.send('3');
      else if (kind === '4') {
        var sub = data.charAt(1),
          payload = data.slice(2);
        if (sub === '0') {
          self.attempt = 0;
          $('live').classList.add('on');
        } else if (sub === '4') {
          refresh().catch(function () {});
        } else if (sub === '2') {
          var args = JSON.parse(payload);
          onEvent(args[0], args[1], args[2]);
        }
      }
    };
    ws.onclose = function () {
      $('live').classList.remove('on');
      if (self.closed) return;
      setTimeout(
        function () {
          if (!self.closed) self.open();
        },
        Math.min(15000, 500 * Math.pow(2, self.attempt++)),
      );
    };
  };
  Socket.prototype.emit = function (name, body) {
    if (this.ws.readyState === 1) this.ws.send('42' + JSON.stringify([name, body]));
  };
  Socket.prototype.close = function () {
    this.closed = true;
    this.ws.close();
  };

  function onEvent(name, payload, meta) {
    if (meta && meta.eventId) {
      if (state.seen[meta.eventId]) return;
      state.seen[meta.eventId] = true;
      state.lastEventId = meta.eventId;
    }
    if (name === 'resync') {
      loadConversations();
      if (state.current) open(state.current);
      return;
    }
    if (name === 'message.created' && state.current && payload.conversationId === state.current)
      addMessage(payload);
    if (name === 'conversation.created' || name === 'conversation.updated' || name === 'message.created')
      loadConversations();
    if (name === 'presence' && payload.conversationId === state.current)
      $('presence').textContent =
        payload.state === 'left' ? '' : (payload.name || 'someone') + ' is ' + payload.state;
    if (name === 'typing' && payload.conversationId === state.current)
      $('presence').textContent = payload.state === 'typing' ? 'the customer is typing…' : '';
    if (name === 'notification') {
      addNotification(payload);
      try {
        new Notification('Switchboard', { body: payload.text });
      } catch (e) {
        /* no permission */
      }
    }
  }

  function addNotification(n) {
    var li = text('li', n.text || n.kind, 'notification ' + (n.kind || ''));
    li.insertBefore(text('small', n.kind + ' · ' + new Date().toLocaleTimeString()), li.firstChild);
    li.onclick = function () {
      if (n.conversationId) open(n.conversationId);
    };
    $('notifications').insertBefore(li, $('notifications').firstChild);
    $('notification-count').textContent = String($('notifications').children.length);
  }
  /** the bot's structured handoff as a card: summary, intent, reason, language, collected fields */
  function showHandoff(handoff) {
    var card = $('handoff');
    card.textContent = '';
    card.hidden = !handoff;
    if (!handoff) return;
    card.appendChild(text('h2', 'Handoff from the bot'));
    card.appendChild(text('p', handoff.summary || '', 'summary'));
    var facts = document.createElement('dl');
    var add = function (label, value) {
      if (value === null || value === undefined || value === '') return;
      facts.appendChild(text('dt', label));
      facts.appendChild(text('dd', typeof value === 'string' ? value : JSON.stringify(value)));
    };
    add('intent', handoff.intent);
    add('reason', handoff.reason);
    add('language', handoff.language);
    add('priority', handoff.priority);
    Object.keys(handoff.collected || {}).forEach(function (key) {
      add(key, handoff.collected[key]);
    });
    card.appendChild(facts);
  }
  function loadConversations() {
    return api('GET', '/conversations?view=' + $('view').value + '&limit=50')
      .then(function (page) {
        var list = $('conversations');
        list.textContent = '';
        (page.items || []).forEach(function (c) {
          var li = document.createElement('li');
          li.appendChild(text('strong', (c.contact && c.contact.name) || c.subject || c.channel));
          li.appendChild(
            text(
              'small',
              c.channel +
                ' · ' +
                c.status +
                (c.lastMessage && c.lastMessage.text ? ' · ' + c.lastMessage.text.slice(0, 60) : ''),
            ),
          );
          if (c.id === state.current) li.className = 'active';
          li.onclick = function () {
            open(c.id);
          };
          list.appendChild(li);
        });
      })
      .catch(function () {});
  }
  function addMessage(m) {
    var li = text('li', m.text || '', m.direction + (m.kind === 'note' ? ' note' : ''));
    li.insertBefore(
      text(
        'small',
        m.senderType +
          ' · ' +
          new Date(m.createdAt).toLocaleTimeString() +
          (m.deliveryStatus ? ' · ' + m.deliveryStatus : ''),
      ),
      li.firstChild,
    );
    $('messages').appendChild(li);
    $('messages').scrollTop = $('messages').scrollHeight;
  }
  function open(id) {
    if (state.current && state.socket)
      state.socket.emit('presence', { conversationId: state.current, state: 'left' });
    state.current = id;
    $('presence').textContent = '';
    $('reply-form').hidden = false;
    if (state.socket) state.socket.emit('presence', { conversationId: id, state: 'viewing' });
    api('GET', '/conversations/' + id).then(function (c) {
      $('conversation-head').textContent =
        ((c.contact && c.contact.name) || 'Customer') +
        ' · ' +
        c.channel +
        ' · ' +
        c.status +
        (c.assignee ? ' · ' + c.assignee.name : '');
      showHandoff(c.handoff);
      $('handback').hidden = c.status === 'bot';
    });
    api('GET', '/conversations/' + id + '/messages?limit=100').then(function (page) {
      $('messages').textContent = '';
      (Array.isArray(page) ? page : page.items || []).forEach(addMessage);
    });
    loadConversations();
  }
  function start() {
    return api('GET', '/me').then(function (me) {
      state.me = me;
      $('me').textContent = (me.name || me.email || '') + ' (' + (me.role || '') + ')';
      if (me.availability) $('availability').value = me.availability;
      show('app');
      state.socket = new Socket();
      loadConversations();
    });
  }

  $('login-form').onsubmit = function (event) {
    event.preventDefault();
    var form = event.target;
    fetch('/api/v1/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email: form.email.value, password: form.password.value }),
    })
      .then(function (res) {
        return res.json().then(function (body) {
          if (!res.ok) throw new Error(body.error ? body.error.message : 'login failed');
          return body;
        });
      })
      .then(function (pair) {
        state.access = pair.accessToken;
        state.refresh = pair.refreshToken;
        save();
        $('login-error').textContent = '';
        return start();
      })
      .catch(function (error) {
        $('login-error').textContent = error.message;
      });
  };
  $('reply-form').onsubmit = function (event) {
    event.preventDefault();
    var form = event.target,
      body = { text: form.text.value, private: form.private.checked };
    if (!body.text.trim()) return;
    api('POST', '/conversations/' + state.current + '/messages', body)
      .then(function () {
        form.text.value = '';
        $('reply-error').textContent = '';
      })
      .catch(function (error) {
        $('reply-error').textContent = error.message;
      });
  };
  $('handback').onclick = function () {
    api('POST', '/conversations/' + state.current + '/handback', {})
      .then(function () {
        $('reply-error').textContent = '';
        open(state.current);
      })
      .catch(function (error) {
        $('reply-error').textContent = error.message;
      });
  };
  $('reply-form').text.oninput = function () {
    if (state.socket && state.current)
      state.socket.emit('presence', { conversationId: state.current, state: 'typing' });
  };
  $('availability').onchange = function () {
    api('PUT', '/me/availability', { status: $('availability').value });
  };
  $('view').onchange = loadConversations;
  $('logout').onclick = logout;
  setInterval(function () {
    if (state.socket && state.current)
      state.socket.emit('presence', { conversationId: state.current, state: 'viewing' });
  }, 30000);

  if (state.access)
    start().catch(function () {
      show('login');
    });
  else show('login');
})();
