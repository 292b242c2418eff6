// A typed use of the generated API types (openapi-typescript), compiled with tsc --strict by
// tests/api_clients/test_clients.py: if the document's shapes drift from what a client needs
// (the page envelope, the error body and its code enum, the login oneOf), this stops compiling.
import type { components, operations, paths } from "./generated/api";

type Schemas = components["schemas"];
type Task = Schemas["TaskOut"];
type ApiError = Schemas["Error"];
type TaskPage = paths["/api/v1/tasks"]["get"]["responses"][200]["content"]["application/json"];
type LoginAnswer = operations["auth_login"]["responses"][200]["content"]["application/json"];
type UpdateConflict = operations["tasks_update"]["responses"][412]["content"]["application/json"];
type CreateHeaders = operations["tasks_create"]["parameters"]["header"];

export function describe(failure: ApiError): string {
  switch (failure.error.code) {
    case "not_found":
      return "gone";
    case "validation_error":
      return Object.keys(failure.error.fields ?? {}).join(", ");
    case "precondition_failed":
      return "changed meanwhile: read it again";
    default:
      return failure.error.message;
  }
}

export function accessToken(answer: LoginAnswer): string | null {
  // The oneOf narrows on mfa_required: tokens on one side, the MFA step on the other.
  return answer.mfa_required ? null : answer.access_token;
}

export async function allTasks(base: string, token: string): Promise<Task[]> {
  const tasks: Task[] = [];
  let link: string | null = "/api/v1/tasks?limit=100";
  while (link !== null) {
    const response = await fetch(base + link, { headers: { Authorization: `Bearer ${token}` } });
    const page = (await response.json()) as TaskPage;
    tasks.push(...page.items);
    link = page.next ?? null;
  }
  return tasks;
}

export const retrySafely: CreateHeaders = { "Idempotency-Key": "3f1c8a52-4a7e-4c55-9d0e-2a51f1c1f3b0" };
export const conflict = (body: UpdateConflict): boolean => body.error.code === "precondition_failed";
export const dueDay = (task: Task): string | null => task.due_date ?? null;
