'use client';

export { ConsoleError as default } from '@/components/console/console-error';
