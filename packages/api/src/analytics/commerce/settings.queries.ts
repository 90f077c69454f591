import type { WorkspaceScope } from '@pulse/db';

export interface StoredSettings {
  pageViewType: string;
  addToCartType: string;
  purchaseType: string;
  priceField: string;
  quantityField: string;
  updatedAt: Date | null;
}

export async function findSettings(scope: WorkspaceScope): Promise<StoredSettings | undefined> {
  const row = await scope
    .selectFrom('analytics_settings')
    .select([
      'page_view_type',
      'add_to_cart_type',
      'purchase_type',
      'price_field',
      'quantity_field',
      'updated_at',
    ])
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    pageViewType: row.page_view_type,
    addToCartType: row.add_to_cart_type,
    purchaseType: row.purchase_type,
    priceField: row.price_field,
    quantityField: row.quantity_field,
    updatedAt: new Date(row.updated_at),
  };
}

export async function saveSettings(
  scope: WorkspaceScope,
  settings: Omit<StoredSettings, 'updatedAt'>,
  updatedBy: string | null,
): Promise<Date> {
  const values = {
    page_view_type: settings.pageViewType,
    add_to_cart_type: settings.addToCartType,
    purchase_type: settings.purchaseType,
    price_field: settings.priceField,
    quantity_field: settings.quantityField,
    updated_by: updatedBy,
    updated_at: new Date(),
  };
  const row = await scope
    .insertInto('analytics_settings', values)
    .onConflict((conflict) => conflict.column('workspace_id').doUpdateSet(values))
    .returning('updated_at')
    .executeTakeFirstOrThrow();
  return new Date(row.updated_at);
}
