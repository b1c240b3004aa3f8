import { defineMessages } from '../define.ts';

// Reminder e-mails: preferences on the account page, the signed unsubscribe page, committee messages (issue 15).
export const reminders = defineMessages(
  {
    'reminders.section': 'Recordatorios por correo',
    'reminders.intro': 'Capacita le escribe para que su certificación no venza y para que termine lo que empezó. Elija qué recordatorios quiere recibir. Los correos de cuenta (invitación, restablecer la contraseña, confirmar el correo) no se pueden desactivar.',
    'reminders.kind.refresher': 'Actualización pendiente: 60 y 14 días antes de que venza su certificación, y el día en que vence',
    'reminders.kind.stalled': 'Curso sin avance: tras 14 días sin actividad en un curso, y una vez más 30 días después',
    'reminders.kind.quiz_retry': 'Evaluación final no aprobada: cuántos intentos le quedan y desde cuándo puede hacer el siguiente',
    'reminders.kind.committee': 'Mensajes de su comité nacional sobre su formación',
    'reminders.saved': 'Se guardaron sus preferencias de recordatorios.',
    'reminders.save': 'Guardar preferencias',
    'reminders.unsubscribe.title': 'Dejar de recibir recordatorios',
    'reminders.unsubscribe.confirm': '¿Dejar de recibir este tipo de recordatorio?',
    'reminders.unsubscribe.button': 'Sí, no quiero recibirlos',
    'reminders.unsubscribe.done': 'Listo: ya no le enviaremos este tipo de recordatorio.',
    'reminders.unsubscribe.account': 'Puede volver a activarlo en «Mi cuenta» cuando inicie sesión.',
    'reminders.unsubscribe.invalid': 'Este enlace para darse de baja no es válido. Revise que lo copió completo, o elija sus recordatorios en «Mi cuenta».',
    'reminders.error.kinds': 'Elija recordatorios de la lista.',
  },
  {
    'reminders.section': 'E-mail reminders',
    'reminders.intro': 'Capacita writes to you so that your certification does not lapse and so that you finish what you started. Choose which reminders you want. Account e-mails (invitation, password reset, address confirmation) cannot be turned off.',
    'reminders.kind.refresher': 'Refresher due: 60 and 14 days before your certification lapses, and on the day it lapses',
    'reminders.kind.stalled': 'Course on hold: after 14 days without activity in a course, and once more 30 days later',
    'reminders.kind.quiz_retry': 'Final quiz not passed: how many attempts you have left and from when you can take the next one',
    'reminders.kind.committee': 'Messages from your national committee about your training',
    'reminders.saved': 'Your reminder preferences were saved.',
    'reminders.save': 'Save preferences',
    'reminders.unsubscribe.title': 'Stop receiving reminders',
    'reminders.unsubscribe.confirm': 'Stop receiving this kind of reminder?',
    'reminders.unsubscribe.button': 'Yes, stop sending them',
    'reminders.unsubscribe.done': 'Done: we will not send you this kind of reminder any more.',
    'reminders.unsubscribe.account': 'You can turn it back on under "My account" when you sign in.',
    'reminders.unsubscribe.invalid': 'This unsubscribe link is not valid. Check that you copied all of it, or choose your reminders under "My account".',
    'reminders.error.kinds': 'Choose reminders from the list.',
  },
);
