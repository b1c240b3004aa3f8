// Reference data: the nine member countries of the Regional Coalition (with their IANA time zones), their national
// bodies (FACTS.md §6), the sectors whose staff are trained, and a realistic set of public institutions per country.
// Institution sizes drive the default training targets; committees edit the real ones.

export const COUNTRIES = [
  { code: 'BZ', nameEs: 'Belice', nameEn: 'Belize', timeZone: 'America/Belize' },
  { code: 'CR', nameEs: 'Costa Rica', nameEn: 'Costa Rica', timeZone: 'America/Costa_Rica' },
  { code: 'SV', nameEs: 'El Salvador', nameEn: 'El Salvador', timeZone: 'America/El_Salvador' },
  { code: 'GT', nameEs: 'Guatemala', nameEn: 'Guatemala', timeZone: 'America/Guatemala' },
  { code: 'HN', nameEs: 'Honduras', nameEn: 'Honduras', timeZone: 'America/Tegucigalpa' },
  { code: 'MX', nameEs: 'México', nameEn: 'Mexico', timeZone: 'America/Mexico_City' },
  { code: 'NI', nameEs: 'Nicaragua', nameEn: 'Nicaragua', timeZone: 'America/Managua' },
  { code: 'PA', nameEs: 'Panamá', nameEn: 'Panama', timeZone: 'America/Panama' },
  { code: 'DO', nameEs: 'República Dominicana', nameEn: 'Dominican Republic', timeZone: 'America/Santo_Domingo' },
] as const;

export const NATIONAL_BODIES = [
  { countryCode: 'BZ', kind: 'council', acronym: 'ATIPS Council', nameEs: 'Consejo contra la Trata de Personas (ATIPS)', nameEn: 'Anti-Trafficking in Persons (ATIPS) Council' },
  { countryCode: 'CR', kind: 'coalition', acronym: 'CONATT', nameEs: 'Coalición Nacional contra el Tráfico Ilícito de Migrantes y la Trata de Personas', nameEn: 'National Coalition against Smuggling of Migrants and Trafficking in Persons' },
  { countryCode: 'SV', kind: 'council', acronym: 'CNCTP', nameEs: 'Consejo Nacional contra la Trata de Personas', nameEn: 'National Council against Trafficking in Persons' },
  { countryCode: 'GT', kind: 'commission', acronym: 'SVET', nameEs: 'Comisión Interinstitucional contra la Trata de Personas (SVET)', nameEn: 'Inter-institutional Commission against Trafficking in Persons (SVET)' },
  { countryCode: 'HN', kind: 'commission', acronym: 'CICESCT', nameEs: 'Comisión Interinstitucional contra la Explotación Sexual Comercial y Trata de Personas', nameEn: 'Inter-institutional Commission against Commercial Sexual Exploitation and Trafficking in Persons' },
  { countryCode: 'MX', kind: 'commission', acronym: null, nameEs: 'Comisión Intersecretarial contra la Trata de Personas', nameEn: 'Inter-ministerial Commission against Trafficking in Persons' },
  { countryCode: 'NI', kind: 'coalition', acronym: null, nameEs: 'Coalición Nacional contra la Trata de Personas', nameEn: 'National Coalition against Trafficking in Persons' },
  { countryCode: 'PA', kind: 'commission', acronym: null, nameEs: 'Comisión Nacional contra la Trata de Personas', nameEn: 'National Commission against Trafficking in Persons' },
  { countryCode: 'DO', kind: 'commission', acronym: 'CITIM', nameEs: 'Comisión Interinstitucional contra la Trata de Personas y el Tráfico Ilícito de Migrantes', nameEn: 'Inter-institutional Commission against Trafficking in Persons and Smuggling of Migrants' },
] as const;

/** Only hotlines FACTS.md confirms; every other country's committee configures its own. */
export const CONFIRMED_HOTLINES: Record<string, string> = {
  HN: '145',
  MX: '800 5533 000',
};

export const SECTORS = [
  { code: 'migration', nameEs: 'Migración', nameEn: 'Migration' },
  { code: 'police', nameEs: 'Policía', nameEn: 'Police' },
  { code: 'prosecution', nameEs: 'Ministerio Público / Fiscalía', nameEn: 'Prosecution' },
  { code: 'judiciary', nameEs: 'Poder Judicial', nameEn: 'Judiciary' },
  { code: 'foreign_affairs', nameEs: 'Relaciones Exteriores y consulados', nameEn: 'Foreign affairs and consulates' },
  { code: 'labour', nameEs: 'Trabajo', nameEn: 'Labour' },
  { code: 'health', nameEs: 'Salud', nameEn: 'Health' },
  { code: 'education', nameEs: 'Educación', nameEn: 'Education' },
  { code: 'child_protection', nameEs: 'Protección de la niñez y bienestar social', nameEn: 'Child protection and social welfare' },
  { code: 'media', nameEs: 'Medios de comunicación', nameEn: 'Media' },
  { code: 'civil_society', nameEs: 'Sociedad civil', nameEn: 'Civil society' },
] as const;

export type SectorCode = (typeof SECTORS)[number]['code'];
/** S ≈ a few hundred staff to train, M ≈ about 1 500, L ≈ about 5 000. */
export type Size = 'S' | 'M' | 'L';
type InstitutionSeed = [sector: SectorCode, name: string, acronym: string | null, size: Size];

export const INSTITUTIONS: Record<string, InstitutionSeed[]> = {
  BZ: [
    ['migration', 'Immigration and Nationality Department', 'INSD', 'S'],
    ['police', 'Belize Police Department', 'BPD', 'M'],
    ['prosecution', 'Office of the Director of Public Prosecutions', 'ODPP', 'S'],
    ['judiciary', 'Judiciary of Belize', null, 'S'],
    ['foreign_affairs', 'Ministry of Foreign Affairs', 'MFA', 'S'],
    ['labour', 'Labour Department', null, 'S'],
    ['health', 'Ministry of Health and Wellness', 'MOHW', 'M'],
    ['education', 'Ministry of Education', 'MOE', 'M'],
    ['child_protection', 'Department of Human Services', 'DHS', 'S'],
    ['civil_society', 'Belize civil society network against trafficking', null, 'S'],
  ],
  CR: [
    ['migration', 'Dirección General de Migración y Extranjería', 'DGME', 'M'],
    ['police', 'Fuerza Pública', null, 'L'],
    ['police', 'Organismo de Investigación Judicial', 'OIJ', 'M'],
    ['prosecution', 'Ministerio Público de Costa Rica', 'MP', 'M'],
    ['judiciary', 'Poder Judicial de Costa Rica', null, 'M'],
    ['foreign_affairs', 'Ministerio de Relaciones Exteriores y Culto', 'MREC', 'S'],
    ['labour', 'Ministerio de Trabajo y Seguridad Social', 'MTSS', 'S'],
    ['health', 'Caja Costarricense de Seguro Social', 'CCSS', 'L'],
    ['education', 'Ministerio de Educación Pública', 'MEP', 'L'],
    ['child_protection', 'Patronato Nacional de la Infancia', 'PANI', 'M'],
    ['civil_society', 'Red de organizaciones de la sociedad civil contra la trata (Costa Rica)', null, 'S'],
  ],
  SV: [
    ['migration', 'Dirección General de Migración y Extranjería', 'DGME', 'M'],
    ['police', 'Policía Nacional Civil', 'PNC', 'L'],
    ['prosecution', 'Fiscalía General de la República', 'FGR', 'M'],
    ['judiciary', 'Órgano Judicial', null, 'M'],
    ['foreign_affairs', 'Ministerio de Relaciones Exteriores', 'RREE', 'S'],
    ['labour', 'Ministerio de Trabajo y Previsión Social', 'MTPS', 'S'],
    ['health', 'Ministerio de Salud', 'MINSAL', 'L'],
    ['education', 'Ministerio de Educación', 'MINED', 'L'],
    ['child_protection', 'Consejo Nacional de la Primera Infancia, Niñez y Adolescencia', 'CONAPINA', 'S'],
    ['civil_society', 'Red de la sociedad civil contra la trata (El Salvador)', null, 'S'],
  ],
  GT: [
    ['migration', 'Instituto Guatemalteco de Migración', 'IGM', 'M'],
    ['police', 'Policía Nacional Civil', 'PNC', 'L'],
    ['prosecution', 'Ministerio Público', 'MP', 'M'],
    ['judiciary', 'Organismo Judicial', 'OJ', 'M'],
    ['foreign_affairs', 'Ministerio de Relaciones Exteriores', 'MINEX', 'S'],
    ['labour', 'Ministerio de Trabajo y Previsión Social', 'MINTRAB', 'S'],
    ['health', 'Ministerio de Salud Pública y Asistencia Social', 'MSPAS', 'L'],
    ['education', 'Ministerio de Educación', 'MINEDUC', 'L'],
    ['child_protection', 'Procuraduría General de la Nación', 'PGN', 'S'],
    ['child_protection', 'Secretaría de Bienestar Social de la Presidencia', 'SBS', 'S'],
    ['civil_society', 'Red de la sociedad civil contra la trata (Guatemala)', null, 'S'],
  ],
  HN: [
    ['migration', 'Instituto Nacional de Migración', 'INM', 'M'],
    ['police', 'Policía Nacional de Honduras', 'PNH', 'L'],
    ['prosecution', 'Ministerio Público', 'MP', 'M'],
    ['judiciary', 'Poder Judicial de Honduras', null, 'M'],
    ['foreign_affairs', 'Secretaría de Relaciones Exteriores y Cooperación Internacional', 'SRECI', 'S'],
    ['labour', 'Secretaría de Trabajo y Seguridad Social', 'STSS', 'S'],
    ['health', 'Secretaría de Salud', 'SESAL', 'L'],
    ['education', 'Secretaría de Educación', 'SEDUC', 'L'],
    ['child_protection', 'Secretaría de la Niñez, Adolescencia y Familia', 'SENAF', 'S'],
    ['civil_society', 'Red de la sociedad civil contra la trata (Honduras)', null, 'S'],
  ],
  MX: [
    ['migration', 'Instituto Nacional de Migración', 'INM', 'L'],
    ['police', 'Guardia Nacional', 'GN', 'L'],
    ['prosecution', 'Fiscalía General de la República', 'FGR', 'L'],
    ['judiciary', 'Poder Judicial de la Federación', 'PJF', 'L'],
    ['foreign_affairs', 'Secretaría de Relaciones Exteriores', 'SRE', 'M'],
    ['labour', 'Secretaría del Trabajo y Previsión Social', 'STPS', 'M'],
    ['health', 'Secretaría de Salud', 'SSA', 'L'],
    ['education', 'Secretaría de Educación Pública', 'SEP', 'L'],
    ['child_protection', 'Sistema Nacional para el Desarrollo Integral de la Familia', 'DIF', 'L'],
    ['civil_society', 'Consejo Ciudadano para la Seguridad y Justicia', null, 'S'],
  ],
  NI: [
    ['migration', 'Dirección General de Migración y Extranjería', 'DGME', 'S'],
    ['police', 'Policía Nacional', 'PN', 'M'],
    ['prosecution', 'Ministerio Público', 'MP', 'S'],
    ['judiciary', 'Poder Judicial', null, 'S'],
    ['foreign_affairs', 'Ministerio de Relaciones Exteriores', 'MINREX', 'S'],
    ['labour', 'Ministerio del Trabajo', 'MITRAB', 'S'],
    ['health', 'Ministerio de Salud', 'MINSA', 'M'],
    ['education', 'Ministerio de Educación', 'MINED', 'M'],
    ['child_protection', 'Ministerio de la Familia, Adolescencia y Niñez', 'MIFAN', 'S'],
  ],
  PA: [
    ['migration', 'Servicio Nacional de Migración', 'SNM', 'M'],
    ['police', 'Policía Nacional', 'PN', 'L'],
    ['prosecution', 'Ministerio Público', 'MP', 'M'],
    ['judiciary', 'Órgano Judicial', null, 'M'],
    ['foreign_affairs', 'Ministerio de Relaciones Exteriores', 'MIRE', 'S'],
    ['labour', 'Ministerio de Trabajo y Desarrollo Laboral', 'MITRADEL', 'S'],
    ['health', 'Ministerio de Salud', 'MINSA', 'M'],
    ['education', 'Ministerio de Educación', 'MEDUCA', 'L'],
    ['child_protection', 'Secretaría Nacional de Niñez, Adolescencia y Familia', 'SENNIAF', 'S'],
    ['civil_society', 'Red de la sociedad civil contra la trata (Panamá)', null, 'S'],
  ],
  DO: [
    ['migration', 'Dirección General de Migración', 'DGM', 'M'],
    ['police', 'Policía Nacional', 'PN', 'L'],
    ['prosecution', 'Procuraduría General de la República', 'PGR', 'M'],
    ['judiciary', 'Poder Judicial', null, 'M'],
    ['foreign_affairs', 'Ministerio de Relaciones Exteriores', 'MIREX', 'S'],
    ['labour', 'Ministerio de Trabajo', 'MT', 'S'],
    ['health', 'Ministerio de Salud Pública', 'MSP', 'L'],
    ['education', 'Ministerio de Educación', 'MINERD', 'L'],
    ['child_protection', 'Consejo Nacional para la Niñez y la Adolescencia', 'CONANI', 'S'],
    ['civil_society', 'Red de la sociedad civil contra la trata (República Dominicana)', null, 'S'],
  ],
};

const BASE_TARGET: Record<Size, number> = { S: 300, M: 1500, L: 5000 };
const SPECIALISED_SECTORS: ReadonlySet<string> = new Set(['police', 'prosecution', 'judiciary', 'migration']);
const CARE_SECTORS: ReadonlySet<string> = new Set(['health', 'child_protection', 'prosecution', 'civil_society']);

/** Default targets per programme for an institution of a given sector and size. */
export function defaultTargets(sector: string, size: Size): Record<'basico' | 'actualizacion' | 'especializado' | 'autocuidado' | 'medios', number> {
  const basico = BASE_TARGET[size];
  return {
    basico,
    actualizacion: Math.round(basico * 0.6),
    especializado: SPECIALISED_SECTORS.has(sector) ? Math.round(basico * 0.05) : 0,
    autocuidado: CARE_SECTORS.has(sector) ? Math.round(basico * 0.2) : 0,
    medios: sector === 'media' ? basico : 0,
  };
}
