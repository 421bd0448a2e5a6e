// The verb of the participle a sentence states an action with ("a booking can be cancelled" →
// cancel): the action's name in the API, so a wrong verb is a wrong route.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isParticiple, meansNotFlagged, participleOf, verbOf } from '../../core/verbs.js';

const PAIRS =
  'lent→lend returned→return cancelled→cancel canceled→cancel published→publish watered→water archived→archive closed→close ' +
  'completed→complete approved→approve booked→book checked→check started→start stopped→stop planned→plan shipped→ship ' +
  'filled→fill installed→install labelled→label scheduled→schedule enabled→enable paused→pause released→release focused→focus ' +
  'agreed→agree paid→pay sold→sell hidden→hide played→play borrowed→borrow fixed→fix reserved→reserve visited→visit rated→rate ' +
  'assigned→assign combined→combine confirmed→confirm rejected→reject done→do frozen→freeze resolved→resolve flagged→flag ' +
  'pinned→pin starred→star shared→share restored→restore charged→charge organized→organize occurred→occur activated→activate ' +
  'opened→open reopened→reopen locked→lock unlocked→unlock renewed→renew delivered→deliver rented→rent hired→hire liked→like ' +
  'voted→vote quoted→quote provided→provide upgraded→upgrade purchased→purchase refunded→refund redeemed→redeem joined→join ' +
  'claimed→claim repaired→repair heated→heat submitted→submit required→require declared→declare ignored→ignore scored→score ' +
  'invoked→invoke timed→time handled→handle settled→settle verified→verify carried→carry banned→ban promoted→promote ' +
  'retired→retire expired→expire packed→pack dispatched→dispatch finished→finish emptied→empty';

test('the verb of each participle, regular, doubled, silent e and irregular', () => {
  const wrong = PAIRS.split(' ')
    .map((p) => p.split('→') as [string, string])
    .filter(([participle, verb]) => verbOf(participle) !== verb)
    .map(([participle, verb]) => `${participle} → ${verbOf(participle)}, not ${verb}`);
  assert.deepEqual(wrong, []);
});

test('the participle of each verb ("members can borrow books" leaves a book borrowed): the same pairs the other way', () => {
  const wrong = PAIRS.split(' ')
    .map((p) => p.split('→') as [string, string])
    .filter(([participle]) => participle !== 'canceled') // the American spelling; cancel → cancelled here
    .filter(([participle, verb]) => participleOf(verb) !== participle)
    .map(([participle, verb]) => `${verb} → ${participleOf(verb)}, not ${participle}`);
  assert.deepEqual(wrong, []);
});

test('a participle of an action, not a CRUD route or a word that only ends in -ed', () => {
  for (const w of ['lent', 'cancelled', 'watered', 'agreed', 'hidden']) assert.ok(isParticiple(w), w);
  for (const w of ['created', 'deleted', 'updated', 'listed', 'searched', 'red', 'need', 'marked', 'used', 'and', 'returns']) assert.ok(!isParticiple(w), w);
});

test('a listed state that is a flag being false: active → not cancelled, available → not lent, unpaid → not paid', () => {
  const yes = [
    ['active', 'cancelled'],
    ['available', 'is lent'],
    ['open', 'closed'],
    ['pending', 'approved'],
    ['unpaid', 'paid'],
    ['unread', 'read'],
    ['unpublished', 'published'],
  ];
  for (const [state, flag] of yes) assert.ok(meansNotFlagged(state!, flag!), `${state} / ${flag}`);
  const no = [
    ['active', 'featured'],
    ['available', 'broken'],
    ['unpaid', 'published'],
    ['under', 'der'],
    ['cancelled', 'cancelled'],
  ];
  for (const [state, flag] of no) assert.ok(!meansNotFlagged(state!, flag!), `${state} / ${flag}`);
});
