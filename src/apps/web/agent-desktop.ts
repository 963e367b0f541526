import { createElement as h, useCallback, useEffect, useState, type ChangeEvent, type FormEvent, type ReactNode } from 'react';
import { api, type DeskState, type HandoffView, type Person, type Presence, type Turn } from './api.ts';
import { DataList, sentimentLabel, Transcript } from './components.ts';
import { useLive, type LiveFrame } from './live.ts';

const presences: Presence[] = ['available', 'busy', 'away', 'offline'];

/**
 * The agent desktop: presence, offers with the bot's transcript, intent and captured data (accept or decline),
 * and the conversations the agent holds: chat with the customer, transfer, end with a disposition. Live over
 * the desk WebSocket; every control is a native, labelled element reachable by keyboard.
 */
export function AgentDesktop(props: { person: Person; onSignOut: () => void }): ReactNode {
  const [desk, setDesk] = useState<DeskState | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [notice, setNotice] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [connected, setConnected] = useState(false);

  const fail = (err: unknown) => setError(err instanceof Error ? err.message : String(err));
  const refresh = useCallback(() => {
    api<DeskState>('GET', '/api/desk')
      .then((d) => {
        setDesk(d);
        setSelected((cur) => cur ?? d.conversations[0]?.conversation.id ?? null);
      })
      .catch(fail);
  }, []);
  useEffect(refresh, [refresh]);

  const upsertConversation = (view: HandoffView) =>
    setDesk((d) => d && { ...d, offers: d.offers.filter((o) => o.escalation.id !== view.escalation.id), conversations: [...d.conversations.filter((c) => c.conversation.id !== view.conversation.id), view] });

  useLive(
    (f: LiveFrame) => {
      switch (f.type) {
        case 'presence':
          setDesk((d) => d && { ...d, presence: f.presence as Presence });
          return;
        case 'offer': {
          const offer = f.offer as HandoffView;
          setDesk((d) => d && { ...d, offers: [...d.offers.filter((o) => o.escalation.id !== offer.escalation.id), offer] });
          setNotice(`New offer from queue ${offer.escalation.queue}`);
          return;
        }
        case 'offer-withdrawn':
          setDesk((d) => d && { ...d, offers: d.offers.filter((o) => o.escalation.id !== f.escalationId) });
          setNotice(`An offer was withdrawn (${f.reason})`);
          return;
        case 'assigned':
          api<HandoffView>('GET', `/api/desk/conversations/${f.conversationId}`).then(upsertConversation).catch(fail);
          return;
        case 'turn': {
          const turn = f.turn as Turn;
          setDesk(
            (d) =>
              d && {
                ...d,
                conversations: d.conversations.map((c) =>
                  c.conversation.id === f.conversationId && !c.conversation.turns.some((t) => t.seq === turn.seq) ? { ...c, conversation: { ...c.conversation, turns: [...c.conversation.turns, turn] } } : c,
                ),
              },
          );
          if (turn.speaker === 'customer') setNotice('The customer wrote');
          return;
        }
        case 'ended':
          setDesk((d) => d && { ...d, conversations: d.conversations.filter((c) => c.conversation.id !== f.conversationId) });
          setSelected((cur) => (cur === f.conversationId ? null : cur));
          setNotice(`A conversation ended (${f.reason})`);
          return;
        default:
          return;
      }
    },
    (up) => {
      setConnected(up);
      if (up) refresh();
    },
  );

  const setPresence = (presence: Presence) => api('PUT', '/api/desk/presence', { presence }).then(() => setDesk((d) => d && { ...d, presence })).catch(fail);
  const accept = (o: HandoffView) =>
    api<HandoffView>('POST', `/api/desk/offers/${o.escalation.id}/accept`)
      .then((v) => {
        upsertConversation(v);
        setSelected(v.conversation.id);
      })
      .catch((err: unknown) => {
        fail(err);
        refresh();
      });
  const decline = (o: HandoffView) => api('POST', `/api/desk/offers/${o.escalation.id}/decline`).then(refresh).catch(fail);

  if (!desk) return h('main', { className: 'desk' }, h('p', null, error ?? 'Loading…'));
  const current = desk.conversations.find((c) => c.conversation.id === selected) ?? desk.conversations[0];

  return h(
    'div',
    { className: 'desk' },
    h(
      'header',
      { className: 'bar' },
      h('h1', null, 'Agent desktop'),
      h('span', { className: connected ? 'live on' : 'live off', 'aria-label': connected ? 'connected' : 'reconnecting' }, connected ? '● live' : '○ reconnecting'),
      h(
        'label',
        null,
        'Presence ',
        h('select', { name: 'presence', value: desk.presence, onChange: (e: ChangeEvent<HTMLSelectElement>) => void setPresence(e.target.value as Presence) }, presences.map((p) => h('option', { key: p, value: p }, p))),
      ),
      h('span', { className: 'who' }, props.person.displayName),
      h('button', { type: 'button', onClick: props.onSignOut }, 'Sign out'),
    ),
    h('p', { className: 'sr-only', role: 'status', 'aria-live': 'polite' }, notice),
    error ? h('p', { role: 'alert', className: 'error' }, error, ' ', h('button', { type: 'button', onClick: () => setError(null) }, 'Dismiss')) : null,
    h(
      'div',
      { className: 'columns' },
      h(
        'section',
        { className: 'offers', 'aria-label': 'Offers' },
        h('h2', null, `Offers (${desk.offers.length})`),
        desk.offers.length === 0 ? h('p', { className: 'muted' }, desk.presence === 'available' ? 'Waiting for customers…' : 'Set your presence to available to receive offers.') : null,
        desk.offers.map((o) => h(OfferCard, { key: o.escalation.id, offer: o, onAccept: () => void accept(o), onDecline: () => void decline(o) })),
        h('h2', null, `My conversations (${desk.conversations.length})`),
        h(
          'ul',
          { className: 'tabs' },
          desk.conversations.map((c) =>
            h(
              'li',
              { key: c.conversation.id },
              h(
                'button',
                { type: 'button', 'aria-pressed': c.conversation.id === current?.conversation.id, onClick: () => setSelected(c.conversation.id) },
                `${c.conversation.channel} · ${c.escalation.queue} · ${c.conversation.customer ?? c.conversation.id.slice(0, 8)}`,
              ),
            ),
          ),
        ),
      ),
      current ? h(ConversationPane, { key: current.conversation.id, view: current, desk, onError: fail, onGone: refresh }) : h('section', { className: 'pane muted' }, h('p', null, 'No conversation selected.')),
    ),
  );
}

function OfferCard(props: { offer: HandoffView; onAccept: () => void; onDecline: () => void }): ReactNode {
  const { escalation: e, conversation: c } = props.offer;
  return h(
    'article',
    { className: 'offer', 'aria-label': `Offer from ${e.queue}` },
    h('h3', null, `${c.channel} customer · queue ${e.queue}`),
    h(
      'p',
      null,
      h('strong', null, 'Intent: '),
      h('span', { className: 'offer-intent' }, c.intent ?? 'unknown'),
      e.sentiment !== null ? ` · ${sentimentLabel(e.sentiment)}` : '',
    ),
    e.message ? h('p', { className: 'note' }, e.message) : null,
    h(DataList, { data: c.entities, label: 'Captured data' }),
    h('details', { open: true }, h('summary', null, `Bot transcript (${c.turns.length} turns)`), h(Transcript, { turns: c.turns, label: 'Bot transcript' })),
    h('div', { className: 'actions' }, h('button', { type: 'button', className: 'primary', onClick: props.onAccept }, 'Accept'), h('button', { type: 'button', onClick: props.onDecline }, 'Decline')),
  );
}

function ConversationPane(props: { view: HandoffView; desk: DeskState; onError: (e: unknown) => void; onGone: () => void }): ReactNode {
  const { conversation: c, escalation: e } = props.view;
  const [text, setText] = useState('');
  const [target, setTarget] = useState('');
  const [disposition, setDisposition] = useState(props.desk.dispositions[0] ?? 'resolved');
  const send = (ev: FormEvent) => {
    ev.preventDefault();
    if (!text.trim()) return;
    api('POST', `/api/desk/conversations/${c.id}/messages`, { text })
      .then(() => setText(''))
      .catch(props.onError);
  };
  const transfer = (ev: FormEvent) => {
    ev.preventDefault();
    if (!target) return;
    const [kind, id] = target.split(':') as [string, string];
    api('POST', `/api/desk/conversations/${c.id}/transfer`, kind === 'bot' ? { bot: id } : { queue: id })
      .then(props.onGone)
      .catch(props.onError);
  };
  const end = (ev: FormEvent) => {
    ev.preventDefault();
    api('POST', `/api/desk/conversations/${c.id}/end`, { disposition })
      .then(props.onGone)
      .catch(props.onError);
  };
  return h(
    'section',
    { className: 'pane', 'aria-label': 'Conversation' },
    h('h2', null, `Conversation with ${c.customer ?? 'the customer'} (${c.channel})`),
    h('p', null, h('strong', null, 'Intent: '), c.intent ?? 'unknown', ' · ', h('strong', null, 'Queue: '), e.queue, e.message ? ` · ${e.message}` : ''),
    h('details', null, h('summary', null, 'Captured data'), h(DataList, { data: c.entities, label: 'Captured data' })),
    h(Transcript, { turns: c.turns, label: 'Conversation transcript' }),
    c.channel === 'chat'
      ? h(
          'form',
          { className: 'compose', onSubmit: send, 'aria-label': 'Reply' },
          h('label', { className: 'grow' }, h('span', { className: 'sr-only' }, 'Message to the customer'), h('input', { name: 'message', value: text, onChange: (ev: ChangeEvent<HTMLInputElement>) => setText(ev.target.value), placeholder: 'Type a reply…', autoComplete: 'off', autoFocus: true })),
          h('button', { type: 'submit', className: 'primary' }, 'Send'),
        )
      : h('p', { className: 'muted' }, 'A voice call: talk to the customer on your phone; the bot’s transcript is above.'),
    h(
      'div',
      { className: 'wrap-up' },
      h(
        'form',
        { onSubmit: transfer, 'aria-label': 'Transfer' },
        h(
          'label',
          null,
          'Transfer to ',
          h(
            'select',
            { name: 'transfer', value: target, onChange: (ev: ChangeEvent<HTMLSelectElement>) => setTarget(ev.target.value) },
            h('option', { value: '' }, 'choose…'),
            props.desk.transferTargets.queues.filter((q) => q.id !== e.queue).map((q) => h('option', { key: q.id, value: `queue:${q.id}` }, `queue: ${q.name}`)),
            props.desk.transferTargets.bots.filter((b) => b !== e.botId).map((b) => h('option', { key: b, value: `bot:${b}` }, `bot: ${b}`)),
          ),
        ),
        h('button', { type: 'submit', disabled: !target }, 'Transfer'),
      ),
      h(
        'form',
        { onSubmit: end, 'aria-label': 'End conversation' },
        h('label', null, 'Disposition ', h('select', { name: 'disposition', value: disposition, onChange: (ev: ChangeEvent<HTMLSelectElement>) => setDisposition(ev.target.value) }, props.desk.dispositions.map((d) => h('option', { key: d, value: d }, d)))),
        h('button', { type: 'submit' }, 'End conversation'),
      ),
    ),
  );
}
