import { TAG_RULES } from "@/lib/actions/form-input";
import { ActionButton } from "@/components/ui/flash";
import { EmptyState } from "@/components/ui/panels";
import type { UserDetail } from "@/lib/iam/services/users";
import { untagUserAction } from "./actions";
import { Section } from "./section";
import { AddTagsForm } from "./user-forms";

/** Tags: the user's tags (remove one), and a form to add or change some. */
export function TagsTab({ d }: { d: UserDetail }) {
  const userName = d.user.userName;
  return (
    <>
      <Section id="tags-title" title={`Tags (${d.tags.length} of ${TAG_RULES.count})`}>
        {d.tags.length === 0 ? (
          <EmptyState title="No tags." />
        ) : (
          <table className="w-full border-collapse text-left text-sm">
            <thead>
              <tr className="border-b border-neutral-200 dark:border-neutral-800">
                <th scope="col" className="px-2 py-1.5">Key</th>
                <th scope="col" className="px-2 py-1.5">Value</th>
                <th scope="col" className="px-2 py-1.5">Actions</th>
              </tr>
            </thead>
            <tbody>
              {d.tags.map((t) => (
                <tr key={t.key} className="border-b border-neutral-100 dark:border-neutral-900">
                  <td className="px-2 py-1.5">{t.key}</td>
                  <td className="px-2 py-1.5">{t.value}</td>
                  <td className="px-2 py-1.5">
                    <ActionButton action={untagUserAction} values={{ userName, tagKeys: t.key }} label="Remove" ariaLabel={`Remove tag ${t.key}`} success={`Tag ${t.key} removed.`} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Section>
      <Section id="add-tags-title" title="Add or change tags">
        <p className="text-sm text-neutral-500">A key that already exists (ignoring case) gets the new value.</p>
        <AddTagsForm userName={userName} room={TAG_RULES.count - d.tags.length} />
      </Section>
    </>
  );
}
