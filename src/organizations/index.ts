export * from './tamper-protection-policy';
