import { defineMessages } from '../define.ts';

// Answers for requests the server cannot take right now or cannot read at all (src/app/errors.ts).
export const resilience = defineMessages(
  {
    'errors.busy': 'La plataforma está atendiendo a muchas personas a la vez. Espere unos segundos y vuelva a intentarlo: no se perdió nada de lo que ya estaba guardado.',
    'errors.malformedBody': 'No se pudo leer la solicitud enviada. Recargue la página y vuelva a intentarlo.',
    'errors.unsupportedMediaType': 'Este formulario no acepta ese tipo de contenido.',
    'errors.busyTitle': 'Servicio ocupado',
    'errors.server.title': 'Ocurrió un error en la plataforma',
    'errors.server.text': 'No pudimos completar su solicitud. Lo que ya estaba guardado no se perdió. Vuelva a intentarlo en unos minutos.',
    'errors.server.reference': 'Si el problema continúa, escriba a la coordinación de su país e indique esta referencia:',
    'errors.server.home': 'Ir al inicio',
  },
  {
    'errors.busy': 'The platform is serving many people at once. Wait a few seconds and try again: nothing already saved was lost.',
    'errors.malformedBody': 'The request could not be read. Reload the page and try again.',
    'errors.unsupportedMediaType': 'This form does not accept that kind of content.',
    'errors.busyTitle': 'Service busy',
    'errors.server.title': 'Something went wrong on the platform',
    'errors.server.text': 'We could not complete your request. Nothing already saved was lost. Please try again in a few minutes.',
    'errors.server.reference': 'If the problem continues, write to your country’s coordination and quote this reference:',
    'errors.server.home': 'Go to the home page',
  },
);
