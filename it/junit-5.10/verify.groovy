// The project's own JUnit 5.10.3 and Netty 4.1.140.Final stay; the leak suite runs on them (../class-path-checks.groovy, ../greeting-checks.groovy).
expectedJUnit = '5.10.3'
expectedNetty = '4.1.140.Final'
expectedOkio = null
evaluate(new File(itDirectory, 'class-path-checks.groovy'))
evaluate(new File(itDirectory, 'greeting-checks.groovy'))
return true
