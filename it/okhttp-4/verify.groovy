// OkHttp keeps its okio 3.6.0 (and its Kotlin) with Leakproof declared first; JUnit 5.12.2 without a BOM runs the
// tests (../class-path-checks.groovy). The client per request fails by growth, the shared client passes.
expectedJUnit = '5.12.2'
expectedNetty = '4.1.140.Final'
expectedOkio = '3.6.0'
evaluate(new File(itDirectory, 'class-path-checks.groovy'))

def log = new File(basedir, 'build.log').text
def reports = new File(basedir, 'target/surefire-reports')
def leaky = new File(reports, 'TEST-com.example.prices.LeakyPriceClientTests.xml').text
def fixed = new File(reports, 'TEST-com.example.prices.PriceClientTests.xml').text
assert leaky.contains('tests="1"') && leaky.contains('failures="1"') : 'the client per request failed'
assert leaky.contains('Each repetition of the action') : 'it failed by growth per repetition'
assert fixed.contains('tests="1"') && fixed.contains('failures="0"') && fixed.contains('errors="0"') : 'the shared client passed'
assert !log.contains('NoClassDefFoundError') && !log.contains('NoSuchMethodError') : 'no linkage error'
return true
