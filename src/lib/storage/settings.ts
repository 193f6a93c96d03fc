// Small preferences remembered across visits. Unset keys read as DEFAULT_SETTINGS.

import { inTransaction, type TwinDb } from './db';
import { DEFAULT_SETTINGS, type Settings } from './schema';

export async function getSetting<K extends keyof Settings>(
	db: TwinDb,
	key: K
): Promise<Settings[K]> {
	return inTransaction(db, ['settings'], 'readonly', 'read your settings', async (tx) => {
		const value = (await tx.objectStore('settings').get(key)) as Settings[K] | undefined;
		return value === undefined ? DEFAULT_SETTINGS[key] : value;
	});
}

export async function setSetting<K extends keyof Settings>(
	db: TwinDb,
	key: K,
	value: Settings[K]
): Promise<void> {
	return inTransaction(db, ['settings'], 'readwrite', 'save your settings', async (tx) => {
		await tx.objectStore('settings').put(value, key);
	});
}
