import { adminGates } from "../admin/http/guard";
import { getRuntime } from "./runtime";

/** The gates of the admin route handlers (lib/admin/http/guard.ts), with this process's runtime. */
export const { adminRoute, publicAdminRoute, readAdminRequest } = adminGates(getRuntime);
