using System.Text;
using CustomerSegmentation.Demo;
using Microsoft.Extensions.DependencyInjection;

Console.OutputEncoding = Encoding.UTF8;

var services = new ServiceCollection()
    .AddCustomerSegmentation()
    .BuildServiceProvider();

await using (services)
{
    await FoundationDemo.RunAsync(services, Console.Out);
}
