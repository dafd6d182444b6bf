import { Banner } from "@/components/ui/banner";
import { PageHeader } from "@/components/ui/page-header";
import { CLASSES_ARN, MANAGE_CLASSES } from "@/lib/labs/manage";

/** What an instructor page shows a caller its gate refuses iam:ManageClasses, in AWS's words. */
export function InstructorsOnly({ principalArn, title, crumbs, what }: { principalArn: string; title: string; crumbs: { label: string; href?: string }[]; what: string }) {
  return (
    <>
      <PageHeader crumbs={crumbs} title={title} />
      <Banner kind="error" code="AccessDenied">
        {principalArn} is not authorized to perform: {MANAGE_CLASSES} on resource: {CLASSES_ARN}. {what} is for instructors: identities whose policies allow {MANAGE_CLASSES}{" "}
        (AdministratorAccess does).
      </Banner>
    </>
  );
}
