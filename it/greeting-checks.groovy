// Shared by the verify.groovy of junit-5.10, junit-5.14 and junit-6: the greeting server's leaky test fails with
// the leak and its reference path (Shark, relocated inside the extension's jar, found it), the fixed one passes.
def fail = { String what -> throw new AssertionError(what) }
def log = new File(basedir, 'build.log').text
def reports = new File(basedir, 'target/surefire-reports')
def leaky = new File(reports, 'TEST-com.example.greeting.LeakyGreetingServerLeakTests.xml').text
def fixed = new File(reports, 'TEST-com.example.greeting.GreetingServerLeakTests.xml').text
if (!(leaky.contains('tests="1"') && leaky.contains('failures="1"'))) fail('the leaky test failed')
if (!(leaky =~ /100 of 100 connections leaked: [^\n]*100 x GreetingSession/).find()) fail('the leaky test names what leaked, how many of how many')
if (!leaky.contains('static LeakyGreetingServerLeakTests.ONLINE')) fail('the leaky test names the path that holds it (Shark ran)')
if (!(fixed.contains('tests="1"') && fixed.contains('failures="0"') && fixed.contains('errors="0"'))) fail('the fixed test passed')
if (!log.contains('Tests run: 2, Failures: 1, Errors: 0, Skipped: 0')) fail('Maven reports one failure of two tests')
if (log.contains('NoClassDefFoundError') || log.contains('NoSuchMethodError')) fail('no linkage error on the project\'s JUnit and Netty')
return true
