using Cognito.Demo;

DemoApp.Build(args).Run();
