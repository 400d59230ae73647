/**
 * Invokes a Lambda from EventBridge Scheduler with exactly `lambda:InvokeFunction` on its ARN.
 * The stock LambdaInvoke target uses `grantInvoke`, which also grants every version and alias
 * (`<arn>:*`): a wildcard the scheduler does not need, since it invokes the unqualified function.
 */
import { type IRole, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { ScheduleTargetBase, type ScheduleTargetBaseProps } from 'aws-cdk-lib/aws-scheduler-targets';

export class InvokeFunction extends ScheduleTargetBase {
  private readonly fn: IFunction;

  constructor(fn: IFunction, props: ScheduleTargetBaseProps = {}) {
    super(props, fn.functionArn);
    this.fn = fn;
  }

  protected override addTargetActionToRole(role: IRole): void {
    role.addToPrincipalPolicy(new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [this.fn.functionArn] }));
  }
}
