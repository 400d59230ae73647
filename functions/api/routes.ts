import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { decodePathParams } from '../adapters/apigw.js';
import type { Role, Principal } from './auth.js';
import { assignBody, backCheckBody, callAttemptBody, interviewAnswerBody } from './enumeration-schemas.js';
import { campaignBody, caseActionBody, exportBody, forgetBody, importBody, inviteUserBody, outcomesBody, randomizeBody, revealPhoneBody, simulateBody, studyBody, userRoleBody } from './schemas.js';

/** Request bodies by name, for routes to refer to. */
export const bodies = { inviteUser: inviteUserBody, userRole: userRoleBody, forget: forgetBody, outcomes: outcomesBody, simulate: simulateBody, study: studyBody, campaign: campaignBody, import: importBody, randomize: randomizeBody, export: exportBody, revealPhone: revealPhoneBody, caseAction: caseActionBody, assign: assignBody, backCheck: backCheckBody, callAttempt: callAttemptBody, interviewAnswer: interviewAnswerBody } as const;

/**
 * The admin API's routes under /api/v1. Each names the roles that may call it: the
 * table-driven role test walks this list, so a route without a rule cannot slip in.
 */
export interface ApiRequest {
  principal: Principal;
  params: Record<string, string>;
  query: Record<string, string>;
  body: unknown;
  event: APIGatewayProxyEventV2;
}

export interface ApiRoute {
  method: 'GET' | 'POST';
  /** Path after /api/v1, with `{name}` parameters. */
  path: string;
  roles: readonly Role[];
  /** What it does, for the route list and the OpenAPI document. */
  summary: string;
  /** The request body's schema (schemas.ts), by name. */
  body?: keyof typeof bodies;
}

const ALL: readonly Role[] = ['researcher', 'ngo', 'admin'];
/** Enumerators call participants: their own list only, never an arm (issue 18). */
const ENUMERATOR: readonly Role[] = ['enumerator'];
const SUPERVISOR: readonly Role[] = ['researcher', 'admin'];

export const apiRoutes = {
  listStudies: { method: 'GET', path: '/studies', roles: [...ALL, 'enumerator'], summary: 'Studies this deployment runs (to an enumerator without arms or outcomes)' },
  createStudy: { method: 'POST', path: '/studies', roles: ['researcher', 'admin'], summary: 'Create a study: country, time zone, languages, arms and ratios, providers, schedule', body: 'study' },
  importParticipants: { method: 'POST', path: '/studies/{studyId}/participants/import', roles: ['researcher', 'admin'], summary: 'Enrol from CSV: every row checked first, nothing imported unless all are right; a re-run adds nobody twice', body: 'import' },
  randomize: { method: 'POST', path: '/studies/{studyId}/randomize', roles: ['researcher', 'admin'], summary: 'Randomize consented participants (complete, block, cluster, block_cluster; seeded; write-once, audited), or assign late joiners (rolling)', body: 'randomize' },
  setOutcomes: { method: 'POST', path: '/studies/{studyId}/outcomes', roles: ['researcher', 'admin'], summary: 'Set the pre-specified outcomes of the impact report (each change is logged)', body: 'outcomes' },
  randomizations: { method: 'GET', path: '/studies/{studyId}/randomizations', roles: ['researcher', 'admin'], summary: 'The audit of every randomization run: who, when, seed, inputs hash, counts per arm and block' },
  balance: { method: 'GET', path: '/studies/{studyId}/balance', roles: ['researcher', 'admin'], summary: 'Balance table: means by arm, standardised differences, joint robust Wald test' },
  impact: { method: 'POST', path: '/studies/{studyId}/impact', roles: ['researcher', 'admin'], summary: 'Impact report: ITT estimates per outcome (difference in means, OLS HC2 with ANCOVA, CR2, BH-adjusted p, Lee bounds, 2SLS complier effect), response rates by arm and week, attrition test, balance; JSON and a self-contained HTML page' },
  exportData: { method: 'POST', path: '/studies/{studyId}/exports', roles: ['researcher', 'admin'], summary: 'Export a dataset as CSV with its codebook (diary_long, diary_wide, complaints, messages, lessons, response): pseudonymous ids; phone numbers only for admins who ask (includePhone)', body: 'export' },
  outbox: { method: 'GET', path: '/studies/{studyId}/outbox', roles: ['admin'], summary: 'Local outbox of SMS not sent through Africa\'s Talking, newest first (phone numbers: admin only)' },
  me: { method: 'GET', path: '/me', roles: [...ALL, 'enumerator'], summary: 'Who the caller is: name and roles (the console shows what the roles allow)' },
  overview: { method: 'GET', path: '/studies/{studyId}/overview', roles: ALL, summary: 'Study overview in aggregates only: arms, enrolment, response rate per arm and week, SMS delivery and failures, complaints per provider and week, module progress per arm' },
  participants: { method: 'GET', path: '/studies/{studyId}/participants', roles: ['researcher', 'admin'], summary: 'Participants by pseudonymous id, with the export id (pid) beside it, a page at a time (?limit=50&cursor=&arm=), or the one with an export id (?exportId=): arm, language, channel, consent, cluster, stratum; never a phone number' },
  timeline: { method: 'GET', path: '/studies/{studyId}/participants/{participantId}/timeline', roles: ['researcher', 'admin'], summary: 'One participant\'s history, newest first: consent, diary weeks, lessons, messages, problems reported; never a phone number' },
  revealPhone: { method: 'POST', path: '/studies/{studyId}/participants/{participantId}/reveal-phone', roles: ['admin'], summary: 'A participant\'s phone number, with a reason: written to the study\'s audit trail (who, when, why) before it is answered', body: 'revealPhone' },
  audit: { method: 'GET', path: '/studies/{studyId}/audit', roles: ['admin'], summary: 'The study\'s audit trail, newest first: phone numbers revealed (who, when, which participant, why)' },
  contentPreview: { method: 'GET', path: '/studies/{studyId}/content-preview', roles: ALL, summary: 'Every USSD screen and SMS of the diary, the modules and the system, as the phone shows it (?lang=): characters, SMS parts, encoding, content-check warnings' },
  listCampaigns: { method: 'GET', path: '/studies/{studyId}/campaigns', roles: ALL, summary: 'Campaigns of a study' },
  previewDraft: { method: 'POST', path: '/studies/{studyId}/campaigns/preview', roles: ['ngo', 'admin', 'researcher'], summary: 'Preview a campaign before saving it: per week, who gets what, segments and cost', body: 'campaign' },
  createCampaign: { method: 'POST', path: '/studies/{studyId}/campaigns', roles: ['ngo', 'admin'], summary: 'Create (schedule) a campaign', body: 'campaign' },
  getCampaign: { method: 'GET', path: '/studies/{studyId}/campaigns/{campaignId}', roles: ALL, summary: 'One campaign' },
  previewCampaign: { method: 'GET', path: '/studies/{studyId}/campaigns/{campaignId}/preview', roles: ALL, summary: 'Preview a saved campaign' },
  pauseCampaign: { method: 'POST', path: '/studies/{studyId}/campaigns/{campaignId}/pause', roles: ['ngo', 'admin'], summary: 'Pause a campaign (its remaining lessons move later)' },
  resumeCampaign: { method: 'POST', path: '/studies/{studyId}/campaigns/{campaignId}/resume', roles: ['ngo', 'admin'], summary: 'Resume a paused campaign' },
  cancelCampaign: { method: 'POST', path: '/studies/{studyId}/campaigns/{campaignId}/cancel', roles: ['ngo', 'admin'], summary: 'Cancel a campaign for good' },
  dispatch: { method: 'POST', path: '/dispatch', roles: ['admin'], summary: 'Run the dispatcher now (it also runs every 15 minutes)' },
  simulate: { method: 'POST', path: '/studies/{studyId}/simulate', roles: ['admin'], summary: 'Local stack only: fill the last N weeks with synthetic diaries (a planted effect in treatment) to try the research workflow', body: 'simulate' },
  forgetParticipant: { method: 'POST', path: '/studies/{studyId}/participants/{participantId}/forget', roles: ['admin'], summary: 'Forget a participant ("forget me"): the phone number and personal fields go everywhere, the pseudonymous research record stays; audited', body: 'forget' },
  listUsers: { method: 'GET', path: '/users', roles: ['admin'], summary: 'Staff accounts: email, role, status (Cognito in AWS; the local directory and configured tokens locally)' },
  inviteUser: { method: 'POST', path: '/users', roles: ['admin'], summary: 'Invite a staff member with one role (Cognito emails a temporary password; locally the answer carries their token, once)', body: 'inviteUser' },
  setUserRole: { method: 'POST', path: '/users/{username}/role', roles: ['admin'], summary: 'Give a staff member exactly this role', body: 'userRole' },
  disableUser: { method: 'POST', path: '/users/{username}/disable', roles: ['admin'], summary: 'Disable a staff account for good' },
  listCases: { method: 'GET', path: '/studies/{studyId}/cases', roles: ['researcher', 'ngo', 'admin', 'provider'], summary: 'Complaint cases with their SLA flags; a provider desk sees only its own referred cases, pseudonymous (the number only if shared for that case)' },
  getCase: { method: 'GET', path: '/studies/{studyId}/cases/{ref}', roles: ['researcher', 'ngo', 'admin', 'provider'], summary: 'One case with its history and SLA flags; another provider\'s case is 404' },
  caseAction: { method: 'POST', path: '/studies/{studyId}/cases/{ref}/actions', roles: ['ngo', 'admin', 'provider'], summary: 'One step on a case (acknowledge, triage, merge, refer, respond, resolve, markUnresolved, close): who may take which step is checked per role; the participant\'s SMS is queued', body: 'caseAction' },
  callList: { method: 'GET', path: '/studies/{studyId}/calls', roles: ENUMERATOR, summary: 'The caller\'s weekly call list: their participants who have not answered this week, with language, preferred time, attempts and last disposition, best to call now first; no arm, no phone number' },
  callPhone: { method: 'POST', path: '/studies/{studyId}/calls/{participantId}/phone', roles: ENUMERATOR, summary: 'The number to dial, for the enumerator the participant is assigned to: written to the audit trail before it is answered' },
  openInterview: { method: 'POST', path: '/studies/{studyId}/calls/{participantId}/open', roles: ENUMERATOR, summary: 'Open the interview screen: this week\'s answers (those that came by phone marked), consistency prompts; refused while another enumerator holds the participant' },
  interviewAnswer: { method: 'POST', path: '/studies/{studyId}/calls/{participantId}/answers', roles: ENUMERATOR, summary: 'Save one answer, read as USSD reads it, through the same conditional write; idempotent on its key; an answer the phone gave is not overwritten unseen', body: 'interviewAnswer' },
  callAttempt: { method: 'POST', path: '/studies/{studyId}/calls/{participantId}/attempts', roles: ENUMERATOR, summary: 'Log a call attempt and its disposition (completed, partial, refused, no_answer, busy, wrong_number, call_back, withdrew); at most the weekly cap; withdrew is the same withdrawal as STOP', body: 'callAttempt' },
  assignments: { method: 'GET', path: '/studies/{studyId}/assignments', roles: SUPERVISOR, summary: 'Who calls whom: current assignments with their history, counts per enumerator, arm and stratum' },
  assign: { method: 'POST', path: '/studies/{studyId}/assignments', roles: SUPERVISOR, summary: 'Assign participants to enumerators, by hand or balanced across arms and strata; a reassignment keeps the history', body: 'assign' },
  supervision: { method: 'GET', path: '/studies/{studyId}/supervision', roles: SUPERVISOR, summary: 'Per enumerator: calls, completion rate, median interview length, share of consistency prompts overridden; and the back-check list' },
  backCheck: { method: 'POST', path: '/studies/{studyId}/back-checks/{participantId}', roles: SUPERVISOR, summary: 'Record a supervisor\'s re-call of a flagged interview: the answers heard, and which differ from those recorded', body: 'backCheck' },
  openapi: { method: 'GET', path: '/openapi.json', roles: [...ALL, 'enumerator', 'provider'], summary: 'This API as an OpenAPI 3.1 document' },
} as const satisfies Record<string, ApiRoute>;

export type RouteName = keyof typeof apiRoutes;

const compiled = Object.entries(apiRoutes).map(([name, route]) => ({
  name: name as RouteName,
  route: route as ApiRoute,
  pattern: new RegExp(`^${route.path.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`),
}));

/** The route for a method and path (after /api/v1), with its parameters; `methodNotAllowed` when only the method is wrong. */
export function matchRoute(method: string, path: string): { name: RouteName; route: ApiRoute; params: Record<string, string> } | 'methodNotAllowed' | undefined {
  let pathMatched = false;
  for (const c of compiled) {
    const m = c.pattern.exec(path);
    if (!m) continue;
    pathMatched = true;
    if (c.route.method === method) {
      const params = decodePathParams(m.groups);
      // A malformed escape names no resource: 404, like any unknown path.
      if (!params) return undefined;
      return { name: c.name, route: c.route, params };
    }
  }
  return pathMatched ? 'methodNotAllowed' : undefined;
}
