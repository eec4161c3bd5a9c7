// Type-checked by `make schema-check` (tsc --strict) against the types openapi-typescript generates from the
// schema (docs/api.md, "The schema"): a client's view of a whole interview. If the schema loses a field, an enum
// or a status, this stops compiling.
import type { components, paths } from "../../var/openapi/schema";

type Schemas = components["schemas"];
type Json<P extends keyof paths, M extends keyof paths[P], S extends number> =
  paths[P][M] extends { responses: infer R }
    ? S extends keyof R ? (R[S] extends { content: { "application/json": infer B } } ? B : never) : never
    : never;

type Registered = Json<"/v1/auth/register", "post", 201>;
type Answered = Json<"/v1/api/sessions/{session_id}/answers", "post", 201>;
type Accepted = Json<"/v1/api/sessions/{session_id}/answers", "post", 202>;
type Report = Json<"/v1/api/feedback/{feedback_id}", "get", 200>;
type Failure = Json<"/v1/api/sessions/{session_id}/complete", "post", 503>;
type Pdf = paths["/v1/api/sessions/{session_id}/transcript.pdf"]["get"]["responses"][200]["content"]["application/pdf"];

export function bearer(registered: Registered): string {
  return `${registered.tokens.tokenType} ${registered.tokens.accessToken}`;
}

export function scoreOf(answer: Answered | Accepted): number | null {
  const scores = answer.answer.scores;
  return scores ? (scores.correctness + scores.completeness + scores.communication) / 3 : null;
}

export function caseInputs(answer: Answered): Schemas["JsonValue"][] {
  return (answer.answer.testResults?.cases ?? []).map((c) => c.input ?? null);
}

export function headline(report: Report): string {
  const skill: Schemas["SkillLevelEnum"] | undefined = report.feedback.communication?.level;
  return `${report.feedback.status}: ${report.feedback.overallScore ?? "pending"} (${skill ?? "-"})`;
}

// Exhaustive over the named enums: adding a value without handling it does not compile.
export function label(type: Schemas["QuestionTypeEnum"], status: Schemas["SessionStatusEnum"]): string {
  const types: Record<Schemas["QuestionTypeEnum"], string> = {
    coding: "Coding", theory: "Theory", behavioral: "Behavioral", system_design: "System design",
  };
  const statuses: Record<Schemas["SessionStatusEnum"], string> = {
    pending: "Not started", in_progress: "In progress", completed: "Completed", abandoned: "Abandoned",
  };
  return `${types[type]} / ${statuses[status]}`;
}

export function retryable(failure: Failure): boolean {
  const code: Schemas["ErrorCodeEnum"] = failure.error.code;
  return code === "SERVICE_UNAVAILABLE" || code === "RATE_LIMITED";
}

export function pdfBytes(pdf: Pdf): number {
  return pdf.length;
}
