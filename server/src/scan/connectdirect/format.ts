import type { CommentSyntax, FormatDefinition } from '../format';
import { SHELL } from '../shell/scriptWalk';
import {
  PROCESS_LANGUAGE,
  SPCLI_LANGUAGE,
  UNIX_CONFIG_LANGUAGE,
  UNIX_INITPARM_LANGUAGE,
  UNIX_NETMAP_LANGUAGE,
  type UnixRecordLanguage,
  WINDOWS_INI_LANGUAGE,
  ZOS_LANGUAGE,
} from './languages';
import { processFixes, spcliFixes, unixRecordFixes, windowsIniFixes, zosFixes } from './fixes';
import { iniHover } from './hover/iniHover';
import { processHover } from './hover/processHover';
import { recordHover } from './hover/recordHover';
import { zosHover } from './hover/zosHover';
import { processScanner } from './process/processScanner';
import { spcliScanner } from './spcli/spcliScanner';
import { iniSymbols, processSymbols, spcliSymbols, unixRecordSymbols, zosSymbols } from './symbols';
import { unixConfigScanner } from './unix/unixConfigScanner';
import { windowsIniScanner } from './windows/windowsScanner';
import { zosScanner } from './zos/zosScanner';

const BLOCK_COMMENTS: CommentSyntax = { block: ['/*', '*/'] };
const UNIX_COMMENTS: CommentSyntax = { line: '#', firstColumnOnly: true };
const INI_COMMENTS: CommentSyntax = { line: ';' };

function unixRecords(languageId: UnixRecordLanguage, fileNames: RegExp[], content: RegExp): FormatDefinition {
  return {
    languageId,
    standalone: true,
    fileNames,
    content,
    comment: UNIX_COMMENTS,
    scanner: unixConfigScanner(languageId),
    // A Windows netmap export saved under a UNIX file's name is read as what it is.
    embeds: [WINDOWS_INI_LANGUAGE],
    fixes: unixRecordFixes,
    hover: recordHover,
    symbols: unixRecordSymbols,
  };
}

/**
 * Every Connect:Direct format, in the order their content patterns are tried: the specific UNIX record files
 * (initparm, netmap) before the general one, since they share one syntax.
 */
export function connectDirectFormats(): FormatDefinition[] {
  return [
    {
      languageId: PROCESS_LANGUAGE,
      standalone: true,
      fileNames: [/\.(cdp|cd)$/i],
      // A label in column 1 and PROCESS (z/OS members, `.txt` CLI input) or the CLI's inline `submit name process`,
      // with an SNODE or a PEND after it, so that prose or code that says "name process" is not taken for one.
      content:
        /(^[A-Za-z@#$][\w@#$]{0,15}[ \t]+PROC(ESS)?\b|^[ \t]*submit\b[^\n]*\bprocess\b)(?=[\s\S]*?\b(SNODE|PEND)\b)/im,
      consumers: ['direct', 'ndmcli'],
      comment: BLOCK_COMMENTS,
      scanner: processScanner,
      // SYSOPTS of a run task is a command line.
      embeds: [SHELL],
      fixes: processFixes,
      hover: processHover,
      symbols: processSymbols,
    },
    unixRecords(
      UNIX_INITPARM_LANGUAGE,
      [/(^|\/)initparm\.cfg$/i],
      /^(ndm\.path|ndm\.node|ndm\.pam|rnode\.listen|copy\.parms|runtask\.parms|proc\.prio)[ \t]*:[ \t]*\\?\r?$/im,
    ),
    unixRecords(
      UNIX_NETMAP_LANGUAGE,
      [/(^|\/)netmap\.cfg$/i],
      /^(local\.node|tcp\.ip\.default)[ \t]*:|^[ \t]*:(comm\.info|tcp\.api|netmap\.check)=/im,
    ),
    // A record name ending in `:\` and a `:key=` field on the next line (a make rule `all: \` has no such field).
    unixRecords(
      UNIX_CONFIG_LANGUAGE,
      [/(^|\/)(ndmapi|userfile|sysacl)\.cfg$/i],
      /^[^\s:#;[\]]{1,255}:[ \t]*\\[ \t]*\r?\n[ \t]*:[A-Za-z][\w.]*=/m,
    ),
    {
      languageId: WINDOWS_INI_LANGUAGE,
      standalone: true,
      fileNames: [/(^|\/)cd_srvr\.ini$/i],
      content: /^\[(Node|Path|Mode):[^\]\r\n]*\]|^CD_(SETUP_TYPE|NODENAME|[A-Z0-9_]{1,40}_(PORT|IP))[ \t]*=/im,
      comment: INI_COMMENTS,
      scanner: windowsIniScanner,
      fixes: windowsIniFixes,
      hover: iniHover,
      symbols: iniSymbols,
    },
    {
      languageId: ZOS_LANGUAGE,
      standalone: true,
      fileNames: [/(^|\/)(initparm|netmap)(\.txt)?$/i],
      content: /^[ \t]*(LOCAL\.NODE|ADJACENT\.NODE|TCP\.(API\.)?LISTEN|S\+CMD\.[A-Z.]{1,60})[ \t]*=/im,
      comment: BLOCK_COMMENTS,
      scanner: zosScanner,
      fixes: zosFixes,
      hover: zosHover,
      symbols: zosSymbols,
    },
    {
      languageId: SPCLI_LANGUAGE,
      standalone: true,
      fileNames: [/(^|\/)[^/]*spcli[^/]*\.(ini|txt)$/i],
      content:
        /^[ \t]*(import[ \t]+(keycert|trustedcert)|update[ \t]+(localnode|remotenode|sysopts)|display[ \t]+(localnode|remotenode|all))\b/im,
      consumers: ['spcli.sh', 'spcli'],
      comment: INI_COMMENTS,
      scanner: spcliScanner,
      fixes: spcliFixes,
      symbols: spcliSymbols,
    },
  ];
}
