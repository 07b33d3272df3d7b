export * from './tamper-protection-policy';
export * from './monitoring-stack-set';
