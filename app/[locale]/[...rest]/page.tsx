import { notFound } from "next/navigation";

/** Any address under a language that names no page: the language's own not-found page answers. */
export default function UnknownPage() {
  notFound();
}
