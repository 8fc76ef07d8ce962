using MRISpineSeg.Cli;

HugePageRelaunch.BindToParent();
return HugePageRelaunch.TryRelaunch(args) ?? SpinesegApp.Run(args, Console.Out, Console.Error);
