/**
 * The Connect:Direct language ids. Each is one syntax a Connect:Direct administrator edits: the process
 * language, the UNIX `name:\` + `:key=value:` records (three ids, because the same key means different
 * things in netmap.cfg and initparm.cfg), the Windows INI files, z/OS parameter members, and Secure+ spcli scripts.
 */
export const PROCESS_LANGUAGE = 'connectdirect';
export const UNIX_NETMAP_LANGUAGE = 'connectdirect-netmap';
export const UNIX_INITPARM_LANGUAGE = 'connectdirect-initparm';
export const UNIX_CONFIG_LANGUAGE = 'connectdirect-config';
export const WINDOWS_INI_LANGUAGE = 'connectdirect-ini';
export const ZOS_LANGUAGE = 'connectdirect-zos';
export const SPCLI_LANGUAGE = 'connectdirect-spcli';

export type UnixRecordLanguage =
  | typeof UNIX_NETMAP_LANGUAGE
  | typeof UNIX_INITPARM_LANGUAGE
  | typeof UNIX_CONFIG_LANGUAGE;
