/**
 * A thread's history in words (ar, fr, en), and what a follower is told changed. Only what is
 * public: citizens by their display name, officials by their office, never an account; a hidden
 * message is told as hidden, without its words.
 */
import type { ProjectedEvent } from './projection';
import type { Lang } from './history-texts';

type Texts = Record<Lang, string>;

const STANCE: Record<string, Texts> = {
  support: { ar: 'مؤيد', fr: 'favorable', en: 'in support' },
  oppose: { ar: 'معارض', fr: 'défavorable', en: 'opposed' },
  undecided: { ar: 'لم يحسم موقفه بعد', fr: 'indécis', en: 'undecided' },
};

const OUTCOME: Record<string, Texts> = {
  resolved: { ar: 'حُلّت', fr: 'résolue', en: 'resolved' },
  closed: { ar: 'أُغلقت', fr: 'close', en: 'closed' },
};

const HIDE: Record<string, Texts> = {
  abuse: { ar: 'إساءة', fr: 'propos injurieux', en: 'abuse' },
  hate: { ar: 'خطاب كراهية', fr: 'discours de haine', en: 'hate speech' },
  personal_data: { ar: 'معطيات شخصية', fr: 'données personnelles', en: 'personal data' },
  spam: { ar: 'رسائل مزعجة', fr: 'spam', en: 'spam' },
  off_topic: { ar: 'خارج الموضوع', fr: 'hors sujet', en: 'off topic' },
};

/** "the official" by office when known (president, councillor…), else the generic word. */
export type OfficeOf = (officialId: string) => Texts;

export function describeDialogue(event: ProjectedEvent, officeOf: OfficeOf): Texts | null {
  switch (event.type) {
    case 'ThreadOpened':
      return {
        ar: `فتح(ت) ${event.data.displayName} نقاشا بعنوان «${event.data.subject}» (${event.data.area}).`,
        fr: `${event.data.displayName} a ouvert la discussion « ${event.data.subject} » (${event.data.area}).`,
        en: `${event.data.displayName} opened the thread “${event.data.subject}” (${event.data.area}).`,
      };
    case 'MessagePosted': {
      if (event.data.author.kind === 'official') {
        const o = officeOf(event.data.author.officialId);
        return { ar: `ردّ ${o.ar}.`, fr: `${cap(o.fr)} a répondu.`, en: `${cap(o.en)} replied.` };
      }
      const n = event.data.author.displayName;
      return { ar: `كتب(ت) ${n} رسالة.`, fr: `${n} a écrit un message.`, en: `${n} wrote a message.` };
    }
    case 'CouncilAnswerMarked': {
      const o = officeOf(event.data.officialId);
      return {
        ar: `اعتمد ${o.ar} ردا رسميا باسم المجلس.`,
        fr: `${cap(o.fr)} a désigné une réponse comme réponse officielle du conseil.`,
        en: `${cap(o.en)} marked a reply as the council's answer.`,
      };
    }
    case 'CommitmentMade': {
      const o = officeOf(event.data.officialId);
      return {
        ar: `التزم ${o.ar}: «${event.data.text}» في أجل أقصاه ${event.data.dueOn}.`,
        fr: `${cap(o.fr)} s'est engagé : « ${event.data.text} » d'ici le ${event.data.dueOn}.`,
        en: `${cap(o.en)} committed: “${event.data.text}” by ${event.data.dueOn}.`,
      };
    }
    case 'CommitmentKept':
      return {
        ar: `تم الوفاء بالالتزام: ${event.data.evidence}`,
        fr: `L'engagement a été tenu : ${event.data.evidence}`,
        en: `The commitment was kept: ${event.data.evidence}`,
      };
    case 'CommitmentMissed':
      return {
        ar: `حلّ أجل ${event.data.dueOn} دون الوفاء بالالتزام.`,
        fr: `L'échéance du ${event.data.dueOn} est passée sans que l'engagement soit tenu.`,
        en: `The ${event.data.dueOn} deadline passed without the commitment being kept.`,
      };
    case 'MessageHidden': {
      const r = HIDE[event.data.reasonCode];
      return { ar: `أخفى الإشراف رسالة (${r.ar}).`, fr: `La modération a masqué un message (${r.fr}).`, en: `Moderation hid a message (${r.en}).` };
    }
    case 'MessageRestored':
      return { ar: 'أعاد الإشراف نشر رسالة.', fr: 'La modération a rétabli un message.', en: 'Moderation restored a message.' };
    case 'ThreadClosed': {
      const o = OUTCOME[event.data.outcome];
      return { ar: `${o.ar} هذا النقاش.`, fr: `La discussion a été ${o.fr}.`, en: `The thread was ${o.en}.` };
    }
    case 'ThreadEscalated':
      return { ar: 'تحوّل هذا النقاش إلى عريضة.', fr: 'La discussion a été transformée en pétition.', en: 'The thread was escalated into a petition.' };
    case 'PetitionLinkedToThread':
      return {
        ar: 'أودعت هذه العريضة انطلاقا من نقاش مع المنتخبين.',
        fr: 'Cette pétition est issue d’une discussion avec les élus.',
        en: 'This petition was filed from a thread with the officials.',
      };
    case 'PositionStated': {
      const o = officeOf(event.data.officialId);
      const s = STANCE[event.data.stance];
      return {
        ar: `أعلن ${o.ar} موقفه من العريضة: ${s.ar}.`,
        fr: `${cap(o.fr)} a pris position sur la pétition : ${s.fr}.`,
        en: `${cap(o.en)} stated a position on the petition: ${s.en}.`,
      };
    }
    default:
      return null;
  }
}

const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

const OFFICE: Record<string, Texts> = {
  president: { ar: 'رئيس(ة) المجلس', fr: 'le président du conseil', en: 'council president' },
  vice_president: { ar: 'نائب(ة) الرئيس', fr: 'le vice-président', en: 'vice-president' },
  councillor: { ar: 'المستشار(ة)', fr: 'le conseiller', en: 'councillor' },
  committee_chair: { ar: 'رئيس(ة) اللجنة', fr: 'le président de commission', en: 'committee chair' },
};

/** An official by office and name: "the council president, Mohammed El Alaoui". */
export function officeInWords(official: { role: string; name: { ar: string; fr: string } } | null): Texts {
  if (!official) return { ar: 'منتخب(ة) بالمجلس', fr: 'un élu du conseil', en: 'a council official' };
  const o = OFFICE[official.role] ?? OFFICE.councillor;
  return { ar: `${o.ar} ${official.name.ar}`, fr: `${o.fr} ${official.name.fr}`, en: `${o.en} ${official.name.fr}` };
}
