import { TableSkeleton } from "@/components/ui/data-table";

export default function Loading() {
  return <TableSkeleton />;
}
