import { defineMessages } from '../define.ts';

// Answers for requests the server cannot take right now or cannot read at all (src/app/errors.ts, src/app/body.ts).
export const resilience = defineMessages(
  {
    'errors.busy': 'La plataforma está atendiendo a muchas personas a la vez. Espera unos segundos y vuelve a intentarlo: no se perdió nada de lo que ya estaba guardado.',
    'errors.malformedBody': 'No se pudo leer la solicitud enviada. Recarga la página y vuelve a intentarlo.',
    'errors.unsupportedMediaType': 'Este formulario no acepta ese tipo de contenido.',
    'errors.busyTitle': 'Servicio ocupado',
  },
  {
    'errors.busy': 'The platform is serving many people at once. Wait a few seconds and try again: nothing already saved was lost.',
    'errors.malformedBody': 'The request could not be read. Reload the page and try again.',
    'errors.unsupportedMediaType': 'This form does not accept that kind of content.',
    'errors.busyTitle': 'Service busy',
  },
);
