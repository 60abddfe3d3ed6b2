// Default Spanish and English texts of submission problems. Mirrors
// crates/ronda-forms/src/validate/messages.rs word for word.

import { type LangText, type QuestionType, type SubmissionProblem, langText } from './model.ts';

function typeWords(type: QuestionType): [string, string] {
  switch (type) {
    case 'integer':
      return ['un número entero', 'a whole number'];
    case 'decimal':
      return ['un número', 'a number'];
    case 'date':
      return ['una fecha AAAA-MM-DD', 'a date YYYY-MM-DD'];
    case 'time':
      return ['una hora HH:MM', 'a time HH:MM'];
    case 'datetime':
      return ['una fecha y hora RFC 3339', 'an RFC 3339 date-time'];
    case 'geopoint':
      return ['una ubicación «latitud longitud [altitud [precisión]]»', "a location 'latitude longitude [altitude [accuracy]]'"];
    case 'image':
    case 'signature':
      return ['el SHA-256 en hexadecimal del archivo adjunto', "the attachment's SHA-256 in hex"];
    case 'acknowledge':
      return ['«OK»', "'OK'"];
    case 'select_multiple':
      return ['una lista de opciones', 'a list of choices'];
    default:
      return ['texto', 'text'];
  }
}

const problem = (path: string, code: string, es: string, en: string): SubmissionProblem => ({
  path,
  code,
  message_es: es,
  message_en: en,
});

function withFormMessage(custom: LangText | undefined, es: string, en: string): [string, string] {
  return [langText(custom, 'es') || es, langText(custom, 'en') || en];
}

export const messages = {
  required(path: string, custom: LangText | undefined): SubmissionProblem {
    const [es, en] = withFormMessage(custom, `La pregunta «${path}» es obligatoria.`, `Question '${path}' is required.`);
    return problem(path, 'required', es, en);
  },
  constraint(path: string, custom: LangText | undefined): SubmissionProblem {
    const [es, en] = withFormMessage(
      custom,
      `La respuesta de «${path}» no cumple la regla del formulario.`,
      `The answer to '${path}' breaks the form's rule.`,
    );
    return problem(path, 'constraint', es, en);
  },
  invalidType(path: string, type: QuestionType, value: string): SubmissionProblem {
    const [es, en] = typeWords(type);
    return problem(path, 'invalid_type', `La respuesta «${value}» de «${path}» debe ser ${es}.`, `Answer '${value}' to '${path}' must be ${en}.`);
  },
  invalidChoice(path: string, value: string): SubmissionProblem {
    return problem(path, 'invalid_choice', `«${value}» no es una opción permitida en «${path}».`, `'${value}' is not an allowed choice of '${path}'.`);
  },
  unknownQuestion(path: string): SubmissionProblem {
    return problem(
      path,
      'unknown_question',
      `El formulario no tiene una pregunta «${path}» que se pueda responder.`,
      `The form has no answerable question '${path}'.`,
    );
  },
  repeatCount(path: string, expected: string, found: number): SubmissionProblem {
    return problem(path, 'repeat_count', `«${path}» debe tener ${expected} repeticiones y tiene ${found}.`, `'${path}' must have ${expected} instances and has ${found}.`);
  },
  expressionError(path: string, column: string, error: string): SubmissionProblem {
    return problem(
      path,
      'expression_error',
      `No se pudo evaluar la columna ${column} de «${path}»: ${error}.`,
      `Column ${column} of '${path}' could not be evaluated: ${error}.`,
    );
  },
  dependencyCycle(path: string): SubmissionProblem {
    return problem(
      path,
      'dependency_cycle',
      `«${path}» depende de sí misma a través de sus cálculos o condiciones.`,
      `'${path}' depends on itself through its calculations or conditions.`,
    );
  },
};
