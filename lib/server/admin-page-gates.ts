import { adminPageGates } from "../admin/http/page-guard";
import { getRuntime } from "./runtime";

/** The gates of the admin pages (lib/admin/http/page-guard.ts), with this process's runtime. */
export const { currentAdmin, requireAdminPage } = adminPageGates(getRuntime);
